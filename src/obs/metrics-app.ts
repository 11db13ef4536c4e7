import express, { type Express } from "express";
import { metricsRoute } from "./http.ts";
import type { Metrics } from "./metrics.ts";

/** The server of its own on `METRICS_PORT`: `/metrics` and nothing else. */
export function metricsApp(metrics: Metrics): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", metricsRoute(metrics));
  app.use((_req, res) => {
    res.status(404).json({ error: "nothing here: this server answers GET /metrics" });
  });
  return app;
}
