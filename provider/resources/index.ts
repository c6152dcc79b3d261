/** Every resource kind, registered by one line: the runtime, the docs and the tests find them here. */
import { ResourceDeclaration } from "../core/declaration";
import { inboundRuleDeclaration } from "./inboundRule";
import { messageStreamDeclaration } from "./messageStream";
import { serverDeclaration } from "./server";
import { templateDeclaration } from "./template";
import { webhookDeclaration } from "./webhook";

export const declarations: readonly ResourceDeclaration[] = [
  serverDeclaration,
  messageStreamDeclaration,
  webhookDeclaration,
  templateDeclaration,
  inboundRuleDeclaration,
];
