// @ts-self-types="./wire.d.ts"
// The wire types have no run-time part: this module lets type checkers that resolve
// `./wire.js` to a real file (Deno) find wire.d.ts.
export {};
