package spark.desk.provision;

import java.util.Optional;

/** A trigger that provisioning owns, found by its exact title. */
interface TriggerPlan {
  String title();

  Trigger create(String webhookId);

  /** What to send so the existing trigger does what the service needs; empty when it does. */
  Optional<Change<Trigger>> repair(Trigger existing, String webhookId);
}
