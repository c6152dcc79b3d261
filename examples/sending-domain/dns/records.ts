import * as pulumi from "@pulumi/pulumi";

/** One DNS record, as every DNS provider's resource takes it. */
export interface DnsRecordArgs {
  type: "TXT" | "CNAME";
  /** The fully qualified name, e.g. `pm-bounces.example.com`. */
  name: pulumi.Input<string>;
  content: pulumi.Input<string>;
}

/** Publishes a record with one DNS provider: the resource returned is what the verification depends on. */
export type PublishRecord = (resourceName: string, record: DnsRecordArgs) => pulumi.Resource;
