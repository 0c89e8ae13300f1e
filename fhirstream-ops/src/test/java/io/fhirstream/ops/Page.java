package io.fhirstream.ops;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;

/**
 * What the dashboard shows, read in one go: the rendered text ({@code innerText}, what a person
 * sees) of the tiles, the tables and the dead letters, all from the same moment of the page.
 */
record Page(
    Map<String, String> tiles,
    Map<String, Map<String, String>> types,
    Map<String, String> topics,
    List<String> deadLetterReasons) {

  private static final String READ =
      """
      const text = (e) => e.innerText.trim();
      const tiles = {};
      for (const id of ['total-published', 'total-written', 'total-stored', 'total-lag',
                        'total-dead-letters', 'latency-p95']) {
        tiles[id] = text(document.getElementById(id));
      }
      const types = {};
      for (const tr of document.querySelectorAll('#types-table tbody tr')) {
        types[tr.dataset.type] = {
          published: text(tr.querySelector('.published')),
          written: text(tr.querySelector('.written')),
          stored: text(tr.querySelector('.stored'))
        };
      }
      const topics = {};
      for (const tr of document.querySelectorAll('#lag-table tbody tr')) {
        topics[tr.dataset.topic] = text(tr.querySelector('.lag'));
      }
      const reasons = [...document.querySelectorAll('#dead-letter-latest .reason')].map(text);
      return { tiles: tiles, types: types, topics: topics, reasons: reasons };
      """;

  @SuppressWarnings("unchecked")
  static Page read(JavascriptExecutor browser) {
    Map<String, Object> page = (Map<String, Object>) browser.executeScript(READ);
    return new Page(
        (Map<String, String>) page.get("tiles"),
        (Map<String, Map<String, String>>) page.get("types"),
        (Map<String, String>) page.get("topics"),
        (List<String>) page.get("reasons"));
  }

  long number(String tile) {
    return parse(tiles.get(tile));
  }

  long typeCell(String type, String column) {
    return parse(types.get(type).get(column));
  }

  long topicLag(String topic) {
    return parse(topics.get(topic));
  }

  /** A number as the page shows it: "12,480" is 12480. */
  private static long parse(String shown) {
    if (shown == null) {
      throw new AssertionError("the page shows no such number");
    }
    return Long.parseLong(shown.replace(",", ""));
  }
}
