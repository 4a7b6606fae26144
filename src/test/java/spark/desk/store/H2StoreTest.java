package spark.desk.store;

import spark.desk.testing.TestDatabase;

/** The store's contract on H2, the default database: always runs. */
class H2StoreTest extends StoreContract {
  @Override
  TestDatabase freshDatabase() {
    return TestDatabase.h2();
  }
}
