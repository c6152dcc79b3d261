export {
  PostmarkServer,
  PostmarkServerArgs,
  ServerColor,
  ServerColors,
  DeliveryType,
  DeliveryTypes,
  TrackLinks,
  TrackLinksOptions,
} from "./postmarkServer";
export { PostmarkApiError, PostmarkProviderError } from "./errors";
