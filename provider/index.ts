export { PostmarkServer, ServerColors, DeliveryTypes, TrackLinksOptions } from "./resources/server";
export type { PostmarkServerArgs, ServerColor, DeliveryType, TrackLinks } from "./resources/server";
export { PostmarkMessageStream } from "./resources/messageStream";
export type { PostmarkMessageStreamArgs, MessageStreamType, UnsubscribeHandlingType } from "./resources/messageStream";
export { PostmarkWebhook } from "./resources/webhook";
export type { PostmarkWebhookArgs, WebhookTrigger, WebhookTriggers } from "./resources/webhook";
export { PostmarkApiError, PostmarkProviderError } from "./core/errors";
