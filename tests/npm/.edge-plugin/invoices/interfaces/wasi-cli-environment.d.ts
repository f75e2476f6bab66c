/** @module Interface wasi:cli/environment@0.2.9 **/
export function getEnvironment(): Array<[string, string]>;
