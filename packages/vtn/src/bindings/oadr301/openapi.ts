// The 3.0.1 binding's OpenAPI document: the 3.0.1 YAML as published, with this server's URL.
import { openadr301Spec } from "@gridlink/model/schema301";
import type { FastifyInstance } from "fastify";

export async function openApi301Routes(app: FastifyInstance, opts: { baseUrl: string }) {
  // Built on first request: the server URL is known only once the VTN listens (port 0 in tests).
  let body: string | undefined;
  app.get("/openapi.json", { config: { public: true } }, (_req, reply) => {
    if (body === undefined) {
      const doc = structuredClone(openadr301Spec());
      doc.servers = [{ url: opts.baseUrl, description: "this VTN" }];
      doc.info = { ...doc.info, "x-gridlink": "served by gridlink beside 3.1.0; see docs/mappings/oadr301.md" };
      body = JSON.stringify(doc);
    }
    return reply.type("application/json").send(body);
  });
}
