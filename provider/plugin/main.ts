#!/usr/bin/env node
/**
 * pulumi-resource-postmark: the `postmark` resource provider plugin. Pulumi's engine starts it (found on PATH, installed
 * with `pulumi plugin install`, or run from source through PulumiPlugin.yaml), reads the port from its first line of
 * stdout and talks gRPC to it until it is done.
 */
import { serve } from "./server";

serve().catch((e: unknown) => {
  console.error(`pulumi-resource-postmark could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
