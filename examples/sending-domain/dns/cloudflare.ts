import * as cloudflare from "@pulumi/cloudflare";
import { PublishRecord } from "./records";

/** Records in a Cloudflare zone (its ID from the zone's Overview page). */
export function cloudflareRecords(zoneId: string): PublishRecord {
  return (resourceName, record) =>
    new cloudflare.DnsRecord(resourceName, {
      zoneId,
      type: record.type,
      name: record.name,
      content: record.content,
      ttl: 1, // automatic
      // Postmark must see the CNAME itself, not Cloudflare's proxy.
      proxied: false,
      comment: "Postmark sending domain (pulumi-postmark)",
    });
}
