import { Webhook } from "standardwebhooks";
import type { components } from "./schema.js";

/**
 * A webhook's body, as the spec's `WebhookPayload` declares it: a union discriminated by
 * `type`, so `if (event.type === "ticket.sla_breached")` narrows `event.data` to that event's.
 */
export type WebhookEvent = components["schemas"]["WebhookPayload"];

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
  const event: WebhookEvent = JSON.parse(text);
  return event;
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
