export { PostmarkServer, ServerColors, DeliveryTypes, TrackLinksOptions } from "./postmarkServer";
export type { PostmarkServerArgs, ServerColor, DeliveryType, TrackLinks } from "./postmarkServer";
export { PostmarkApiError, PostmarkProviderError } from "./errors";
