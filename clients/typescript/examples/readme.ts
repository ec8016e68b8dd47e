// The README's "Use it from TypeScript" example, compiled with the package (`tsc --strict`) so it
// keeps type-checking against the committed spec. Not run by the tests.
import { createServer } from "node:http";
import { createClient, unwrap, verifyWebhook, type Schemas } from "@supportdesk/client";

const desk = createClient({
  baseUrl: "https://desk.example.com",
  apiKey: process.env.SUPPORTDESK_KEY ?? "",
});

// A ticket, safe to retry: the same Idempotency-Key returns the same ticket.
const ticket = await unwrap(
  desk.POST("/v1/tickets", {
    params: { header: { "Idempotency-Key": "checkout-6f1c2a" } },
    body: {
      subject: "Checkout fails",
      description: "Card payments return an error.",
      priority: "high",
      category: "technical",
      context: { url: "https://shop.acme.example/checkout", users_affected: 40 },
    },
  }),
);
console.log(ticket.number, ticket.status, ticket.sla.first_response?.due_at);

// Its SLA clocks: target, due time, state.
const sla = await unwrap(
  desk.GET("/v1/tickets/{ticket_id}/sla", { params: { path: { ticket_id: ticket.id } } }),
);
for (const clock of sla.data) {
  console.log(clock.metric, clock.state, clock.due_at ?? "not running");
}

// Every open ticket, a page at a time (`page` is annotated: it feeds the next request).
let cursor: string | null = null;
do {
  const page: Schemas["TicketList"] = await unwrap(
    desk.GET("/v1/tickets", { params: { query: { status: ["open"], limit: 100, cursor } } }),
  );
  for (const open of page.data) console.log(open.number, open.subject);
  cursor = page.next_cursor;
} while (cursor !== null);

// A webhook receiver: verify the Standard Webhooks signature on the raw body, then act.
createServer(async (request, response) => {
  let body = "";
  for await (const chunk of request) body += chunk;
  try {
    const event = verifyWebhook(process.env.SUPPORTDESK_WEBHOOK_SECRET ?? "", body, request.headers);
    if (event.type === "ticket.sla_breached") {
      // Narrowed by `type`: `data` is this event's, typed.
      console.log(event.data.ticket.number, event.data.metric, event.data.due_at);
    }
    response.writeHead(204).end();
  } catch {
    response.writeHead(400).end();
  }
}).listen(3000);
