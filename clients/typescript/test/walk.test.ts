// The integrator's walk against a real Support Desk: SUPPORTDESK_URL and SUPPORTDESK_ADMIN_KEY
// name it. Its webhook receiver listens on 127.0.0.1, so the server must allow that network
// (SUPPORTDESK_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8) and run a worker that sends webhooks.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import {
  createClient,
  unwrap,
  verifyWebhook,
  WebhookVerificationError,
  type Schemas,
  type SupportDeskClient,
} from "../src/index.js";
import { Receiver } from "./receiver.js";

const baseUrl = required("SUPPORTDESK_URL");
const admin = createClient({ baseUrl, apiKey: required("SUPPORTDESK_ADMIN_KEY") });
const receiver = new Receiver();
const run = randomUUID().slice(0, 8);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must name the server under test`);
  return value;
}

interface Tenant {
  organization: Schemas["OrganizationOut"];
  contact: Schemas["ContactOut"];
  client: SupportDeskClient;
}

let endpoint: Schemas["WebhookEndpointWithSecret"];
let tenant: Tenant;
let ticket: Schemas["TicketOut"];

before(async () => {
  const url = await receiver.start();
  endpoint = await unwrap(
    admin.POST("/v1/webhook-endpoints", {
      body: { url, event_types: ["ticket.created"], description: `client kit ${run}` },
    }),
  );
});

after(async () => {
  if (endpoint) {
    await admin.DELETE("/v1/webhook-endpoints/{endpoint_id}", {
      params: { path: { endpoint_id: endpoint.id } },
    });
  }
  await receiver.stop();
});

async function makeTenant(): Promise<Tenant> {
  const organization = await unwrap(
    admin.POST("/v1/organizations", {
      body: { name: `Acme ${run}`, plan: "enterprise", industry: "retail", platform: "shopify" },
    }),
  );
  const contact = await unwrap(
    admin.POST("/v1/organizations/{organization_id}/contacts", {
      params: { path: { organization_id: organization.id } },
      body: { email: `ana-${run}@acme.example`, name: "Ana", designated: true },
    }),
  );
  const key = await unwrap(
    admin.POST("/v1/api-keys", {
      body: { kind: "contact", name: "Ana's portal", contact_id: contact.id },
    }),
  );
  return { organization, contact, client: createClient({ baseUrl, apiKey: key.key }) };
}

function raise(client: SupportDeskClient, subject: string, idempotencyKey: string) {
  return client.POST("/v1/tickets", {
    params: { header: { "Idempotency-Key": idempotencyKey } },
    body: {
      subject,
      description: "Card payments return an error.",
      priority: "high",
      category: "technical",
      context: { url: "https://shop.acme.example/checkout", users_affected: 3 },
    },
  });
}

test("an organization, a designated contact and a contact key", async () => {
  tenant = await makeTenant();
  assert.equal(tenant.contact.organization_id, tenant.organization.id);
  assert.equal(tenant.contact.designated, true);
  const designated = await unwrap(
    admin.GET("/v1/organizations/{organization_id}/contacts", {
      params: { path: { organization_id: tenant.organization.id }, query: { designated: true } },
    }),
  );
  assert.deepEqual(
    designated.data.map((contact) => contact.id),
    [tenant.contact.id],
  );
});

test("a ticket retried with the same Idempotency-Key is created once", async () => {
  const idempotencyKey = `create-${run}`;
  const first = await raise(tenant.client, "Checkout fails", idempotencyKey);
  const retry = await raise(tenant.client, "Checkout fails", idempotencyKey);
  assert.equal(first.response.status, 201);
  assert.equal(retry.response.status, 201);
  ticket = await unwrap(first);
  const again = await unwrap(retry);
  assert.equal(again.id, ticket.id);
  assert.equal(again.number, ticket.number);
  assert.equal(ticket.requester_id, tenant.contact.id);
  assert.match(ticket.number, /^SUP-\d+$/);
});

test("the ticket list pages with next_cursor", async () => {
  const more = [];
  for (const n of [1, 2]) {
    more.push(await unwrap(raise(tenant.client, `Follow-up ${n}`, `more-${n}-${run}`)));
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Schemas["TicketList"] = await unwrap(
      tenant.client.GET("/v1/tickets", { params: { query: { limit: 2, cursor } } }),
    );
    seen.push(...page.data.map((listed) => listed.id));
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor !== null);
  assert.equal(pages, 2);
  assert.deepEqual(new Set(seen), new Set([ticket.id, ...more.map((created) => created.id)]));
  assert.equal(seen.length, 3);
});

test("the SLA clocks of the ticket", async () => {
  const report = await unwrap(
    tenant.client.GET("/v1/tickets/{ticket_id}/sla", {
      params: { path: { ticket_id: ticket.id } },
    }),
  );
  assert.equal(report.ticket_id, ticket.id);
  const firstResponse = report.data.find((clock) => clock.metric === "first_response");
  assert.ok(firstResponse, "a new ticket runs a first_response clock");
  assert.ok(firstResponse.target_minutes > 0);
  assert.ok(["on_track", "at_risk"].includes(firstResponse.state));
  assert.ok(firstResponse.segments.length >= 1);
  // The ticket carries the same clock: `sla` is always there, each clock null when not armed.
  const carried = ticket.sla.first_response;
  assert.ok(carried, "the ticket's first_response clock runs");
  assert.equal(carried.target_minutes, firstResponse.target_minutes);
  assert.equal(ticket.sla.next_update, null);
});

test("the ticket.created webhook verifies with the endpoint's secret", async () => {
  const delivery = await receiver.waitFor((received) => received.body.includes(ticket.id));
  const event = verifyWebhook(endpoint.secret, delivery.body, delivery.headers);
  assert.equal(event.type, "ticket.created");
  assert.equal(event.ticket_id, ticket.id);
  if (event.type === "ticket.created") {
    // Narrowed by `type`: the data is the ticket's snapshot, typed.
    assert.equal(event.data.ticket.number, ticket.number);
    assert.equal(event.data.ticket.status, "new");
  }
  assert.equal(event.organization_id, tenant.organization.id);
  assert.equal(event.id, delivery.headers["webhook-id"]);
  const tampered = `${delivery.body} `;
  assert.throws(
    () => verifyWebhook(endpoint.secret, tampered, delivery.headers),
    WebhookVerificationError,
  );
});
