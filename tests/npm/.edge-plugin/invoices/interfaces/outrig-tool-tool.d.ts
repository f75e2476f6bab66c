/** @module Interface outrig:tool/tool@0.2.0 **/
export function describe(): Array<ToolSpec>;
export function call(name: string, input: string): Array<Content>;
export function origins(): Array<string>;
export type ToolSpec = import('./outrig-tool-types.js').ToolSpec;
export type Content = import('./outrig-tool-types.js').Content;
export type ToolError = import('./outrig-tool-types.js').ToolError;
