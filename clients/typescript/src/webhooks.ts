import { Webhook } from "standardwebhooks";
import type { components } from "./schema.js";

type EventOut = components["schemas"]["EventOut"];

/**
 * A webhook's body: the change feed's event with a message id (`evt_…`, the `webhook-id`
 * header) in place of the event's UUID, and without the feed's `request_id`.
 */
export type WebhookEvent = Omit<EventOut, "id" | "request_id"> & { id: string };

/** The three Standard Webhooks headers, as a plain record or a fetch `Headers`. */
export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers;

/**
 * Verifies a delivery's Standard Webhooks signature with the endpoint's `whsec_…` secret and
 * returns its event; throws `WebhookVerificationError` when the signature, or a timestamp more
 * than five minutes off, does not check out. Pass the raw body exactly as received.
 */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  headers: WebhookHeaders,
): WebhookEvent {
  // The signature covers the raw bytes; parsing is ours, so standardwebhooks returns nothing.
  new Webhook(secret).verify(body, signatureHeaders(headers), { jsonParse: false });
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  return JSON.parse(text) as WebhookEvent;
}

function signatureHeaders(headers: WebhookHeaders): Record<string, string> {
  const read = (name: string): string => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return (Array.isArray(value) ? value.join(" ") : value) ?? "";
  };
  return {
    "webhook-id": read("webhook-id"),
    "webhook-timestamp": read("webhook-timestamp"),
    "webhook-signature": read("webhook-signature"),
  };
}
