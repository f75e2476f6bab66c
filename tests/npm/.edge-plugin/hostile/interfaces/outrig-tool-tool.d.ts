/** @module Interface outrig:tool/tool@0.1.0 **/
export function describe(): Array<ToolSpec>;
export function call(name: string, input: string): Array<Content>;
export type ToolSpec = import('./outrig-tool-types.js').ToolSpec;
export type Content = import('./outrig-tool-types.js').Content;
export type ToolError = import('./outrig-tool-types.js').ToolError;
