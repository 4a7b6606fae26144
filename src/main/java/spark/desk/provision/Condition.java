package spark.desk.provision;

import java.util.Objects;

/**
 * One condition of a Zendesk trigger; {@code value} may be null (for operators such as changed).
 */
record Condition(String field, String operator, String value) {
  Condition {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operator, "operator");
  }
}
