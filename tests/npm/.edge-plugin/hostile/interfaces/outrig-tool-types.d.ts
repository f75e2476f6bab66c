/** @module Interface outrig:tool/types@0.1.0 **/
export interface Hints {
  readOnly: boolean,
  destructive: boolean,
  idempotent: boolean,
}
export interface ToolSpec {
  name: string,
  description: string,
  inputSchema: string,
  outputSchema?: string,
  hints: Hints,
}
export interface Image {
  mediaType: string,
  data: Uint8Array,
}
export type Content = ContentText | ContentJson | ContentImage;
export interface ContentText {
  tag: 'text',
  val: string,
}
export interface ContentJson {
  tag: 'json',
  val: string,
}
export interface ContentImage {
  tag: 'image',
  val: Image,
}
export type ToolError = ToolErrorInvalidInput | ToolErrorFailed;
export interface ToolErrorInvalidInput {
  tag: 'invalid-input',
  val: string,
}
export interface ToolErrorFailed {
  tag: 'failed',
  val: string,
}
