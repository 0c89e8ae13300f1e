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

// Version 1.0.1 has no query planner. The SDK asks the service for a plan before a query that spans
// partitions, and this package takes that request for the query itself (400, "missing partition
// keys"). The plan given here leaves the SDK nothing to do but run the query as written on the
// whole key range, which this server holds as one partition key range, so its own engine evaluates
// the whole query (filters, projections, COUNT). Only SELECT VALUE is flagged, as Azure's planner
// does, so that the SDK unwraps the values. The per-range query that follows is let through as the
// cross-partition query it is.
const readJson = require(path.join(packageDir, "lib", "json.js")).default;
const queryDocuments = require(path.join(packageDir, "lib", "handler", "query-documents.js"));
const queryDocumentsAsPublished = queryDocuments.default;
queryDocuments.default = async (account, req, res, params) => {
  if (trueHeader(req, "x-ms-cosmos-is-query-plan-request")) {
    const { query } = await readJson(req);
    return {
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: {
        distinctType: "None",
        orderBy: [],
        orderByExpressions: [],
        groupByExpressions: [],
        groupByAliases: [],
        aggregates: [],
        groupByAliasToAggregateType: {},
        rewrittenQuery: "",
        hasSelectValue: /^\s*SELECT\s+VALUE\s/i.test(query || ""),
        hasNonStreamingOrderBy: false
      },
      queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
    };
  }
  if (req.headers["x-ms-documentdb-partitionkeyrangeid"] !== undefined) {
    req.headers["x-ms-documentdb-query-enablecrosspartition"] = "true";
  }
  return queryDocumentsAsPublished(account, req, res, params);
};

function trueHeader(req, name) {
  return String(req.headers[name] || "").toLowerCase() === "true";
}

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
