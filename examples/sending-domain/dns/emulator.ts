import * as pulumi from "@pulumi/pulumi";
import { DnsRecordArgs, PublishRecord } from "./records";

/**
 * Publishes or removes a record in the Postmark emulator's DNS through its admin API: what a DNS provider's record
 * is to real Postmark. The emulator's address is read when the provider runs (POSTMARK_API_URL), never stored.
 */
async function emulatorDns(method: "PUT" | "DELETE", record: { type: string; name: string; content?: string }): Promise<void> {
  const url = `${process.env.POSTMARK_API_URL}/__emulator/dns/${record.type}/${encodeURIComponent(record.name)}`;
  const answer = await fetch(url, { method, body: method === "PUT" ? JSON.stringify({ Value: record.content }) : undefined });
  // A record already gone is what a removal wants.
  if (!answer.ok && !(method === "DELETE" && answer.status === 404)) {
    throw new Error(`the emulator refused ${method} ${record.type} ${record.name}: HTTP ${answer.status} ${await answer.text()}`);
  }
}

const emulatorDnsProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    await emulatorDns("PUT", inputs);
    return { id: `${inputs.type}/${inputs.name}`, outs: inputs };
  },
  async diff(_id, olds, news) {
    const replaces = ["type", "name"].filter((key) => olds[key] !== news[key]);
    // A new name is a new record, made before the old one goes, as DNS providers' records are.
    return { changes: replaces.length > 0 || olds.content !== news.content, replaces };
  },
  async update(_id, _olds, news) {
    await emulatorDns("PUT", news);
    return { outs: news };
  },
  async delete(_id, props) {
    await emulatorDns("DELETE", props);
  },
};

class EmulatorDnsRecord extends pulumi.dynamic.Resource {
  constructor(name: string, args: DnsRecordArgs) {
    super(emulatorDnsProvider, name, args, {}, "postmark-emulator", "DnsRecord");
  }
}

/** Records in the emulator's DNS. */
export function emulatorRecords(): PublishRecord {
  return (resourceName, record) => new EmulatorDnsRecord(resourceName, record);
}
