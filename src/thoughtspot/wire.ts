// Internal to src/thoughtspot: the request shapes the adapter sends in ThoughtSpot's REST v2.0 wire format
// (snake_case), as src/emulator/contract.json and CONTRACT.md §11–§12 describe them. Responses have no wire types:
// real responses omit or null fields the schema calls required (CONTRACT.md §12), so the resource modules read them
// as unknown JSON and check each field they use (decode.ts).

/** `SortOptions` on users/search and groups/search. */
export interface SortOptionsWire {
  readonly field_name: string;
  readonly order: string;
}

/** A request body: JSON object with snake_case keys; `undefined` members are dropped by JSON.stringify. */
export type RequestBody = Readonly<Record<string, unknown>>;
