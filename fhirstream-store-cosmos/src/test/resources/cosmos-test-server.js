// Runs @vercel/cosmosdb-server on 127.0.0.1:<port> over HTTPS (its own self-signed certificate),
// for the Cosmos DB store's tests. Usage: node cosmos-test-server.js <package dir> <port>
//
// Reads commands on stdin, one per line:
//   stop   closes the listening socket and every open connection: clients get connection refused,
//          a real outage at the TCP level, while the data (held in memory) is kept
//   start  listens on the same port again
// Exits when stdin closes, so it never outlives the JVM that started it.
"use strict";
const path = require("path");
const readline = require("readline");

const [packageDir, portText] = process.argv.slice(2);

// One bug of version 1.0.1 is fixed here, before the package builds its routes: a point read of a
// missing item that names its partition key fails with 500 (TypeError) instead of Azure's 404.
// The SDK's readMany reads a single id that way, so the version guard would see errors, not
// absence.
const readDocument = require(path.join(packageDir, "lib", "handler", "read-document.js"));
const readDocumentAsPublished = readDocument.default;
readDocument.default = (account, req, res, params) => {
  try {
    return readDocumentAsPublished(account, req, res, params);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    res.statusCode = 404;
    return {
      code: "NotFound",
      message: "Entity with the specified id does not exist in the system."
    };
  }
};

const { createHttpsServer } = require(path.join(packageDir, "lib", "index.js"));
const port = parseInt(portText, 10);
const host = "127.0.0.1";

const server = createHttpsServer({ keepAlive: true });
const sockets = new Set();
server.on("connection", socket => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});

function listen(then) {
  server.listen(port, host, () => {
    // The package makes a fresh, empty account on every "listening" event; keep the first one so
    // the data survives a stop and start.
    server.removeAllListeners("listening");
    then();
  });
}

listen(() => console.log(`ready https://${host}:${port}/`));

readline.createInterface({ input: process.stdin }).on("line", line => {
  const command = line.trim();
  if (command === "stop") {
    server.close();
    for (const socket of sockets) socket.destroy();
    console.log("stopped");
  } else if (command === "start") {
    listen(() => console.log("started"));
  }
}).on("close", () => process.exit(0));
