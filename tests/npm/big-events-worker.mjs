// A worker that answers with what `bigEventsRead` found in workerd.
import { Outrig } from "./outrig/workerd.js";
import { bigEventsRead } from "./big-events.mjs";

export default {
  async fetch() {
    return Response.json(await bigEventsRead(Outrig));
  },
};
