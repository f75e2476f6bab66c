/** @module Interface outrig:tool/host@0.1.0 **/
export function log(level: Level, message: string): void;
export function cancelled(): boolean;
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
