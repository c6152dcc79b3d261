/** Every resource kind, registered by one line: the runtime, the docs and the tests find them here. */
import { ResourceDeclaration } from "../core/declaration";
import { domainDeclaration } from "./domain";
import { domainVerificationDeclaration } from "./domainVerification";
import { inboundRuleDeclaration } from "./inboundRule";
import { messageStreamDeclaration } from "./messageStream";
import { senderSignatureDeclaration } from "./senderSignature";
import { serverDeclaration } from "./server";
import { templateDeclaration } from "./template";
import { webhookDeclaration } from "./webhook";

export const declarations: readonly ResourceDeclaration[] = [
  serverDeclaration,
  messageStreamDeclaration,
  webhookDeclaration,
  templateDeclaration,
  inboundRuleDeclaration,
  domainDeclaration,
  domainVerificationDeclaration,
  senderSignatureDeclaration,
];
