package io.fhirstream.demo.patients;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Realistic US names and places drawn once from Datafaker, to be combined at random later.
 *
 * <p>Datafaker resolves each value through its YAML expressions, tens of microseconds a call;
 * drawing a few thousand values up front and sampling from them keeps a 100,000-patient benchmark
 * from spending half a minute in the generator, while the combinations stay varied. Drawn from the
 * caller's seeded {@link Random}, so the pools are reproducible too.
 */
final class ValuePools {
  /** A city with a state and ZIP code that belong together. */
  record Place(String city, String state, String postalCode) {}

  final List<String> maleGiven;
  final List<String> femaleGiven;
  final List<String> family;
  final List<String> streets;
  final List<String> secondaryLines;
  final List<Place> places;

  ValuePools(Random random, int size) {
    Faker faker = new Faker(Locale.US, random);
    maleGiven = draw(size, () -> faker.name().maleFirstName());
    femaleGiven = draw(size, () -> faker.name().femaleFirstName());
    family = draw(size, () -> faker.name().lastName());
    streets = draw(size, () -> faker.address().streetAddress());
    secondaryLines = draw(size / 4 + 1, () -> faker.address().secondaryAddress());
    places =
        draw(
            size,
            () -> {
              String state = faker.address().stateAbbr();
              return new Place(
                  faker.address().city(), state, faker.address().zipCodeByState(state));
            });
  }

  private static <T> List<T> draw(int count, java.util.function.Supplier<T> source) {
    List<T> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(source.get());
    }
    return List.copyOf(values);
  }

  static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
