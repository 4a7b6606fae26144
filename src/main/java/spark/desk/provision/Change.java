package spark.desk.provision;

import java.util.List;

/** The object to send to repair something Zendesk holds, and why (for the report). */
record Change<T>(T object, List<String> reasons) {
  Change {
    reasons = List.copyOf(reasons);
  }
}
