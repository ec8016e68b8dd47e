export type { components, operations, paths } from "./schema.js";
export {
  ApiError,
  createClient,
  unwrap,
  type ClientOptions,
  type Problem,
  type SupportDeskClient,
} from "./client.js";
export { verifyWebhook, type WebhookEvent, type WebhookHeaders } from "./webhooks.js";
export { WebhookVerificationError } from "standardwebhooks";

import type { components } from "./schema.js";
/** Every schema of the spec by name: `Schemas["TicketOut"]`. */
export type Schemas = components["schemas"];
