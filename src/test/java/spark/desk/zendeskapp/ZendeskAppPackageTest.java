package spark.desk.zendeskapp;

/**
 * The Zendesk app in the source tree ({@code manifest.json}, {@code zendesk-app/}) against the
 * rules Zendesk applies on upload. {@link ZendeskAppZipIT} runs the same rules on the built zip.
 */
class ZendeskAppPackageTest extends ZendeskAppRules {

  @Override
  ZendeskAppFiles app() {
    return ZendeskAppFiles.fromSourceTree();
  }
}
