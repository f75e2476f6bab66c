/** @module Interface outrig:tool/host@0.2.0 **/
export function log(level: Level, message: string): void;
export function progress(done: bigint, total: bigint | undefined, message: string | undefined): void;
/**
 * # Variants
 * 
 * ## `"trace"`
 * 
 * ## `"debug"`
 * 
 * ## `"info"`
 * 
 * ## `"warn"`
 * 
 * ## `"error"`
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
