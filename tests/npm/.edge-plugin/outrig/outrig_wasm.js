/* @ts-self-types="./outrig_wasm.d.ts" */

/**
 * Incremental SSE decoding with the SDKs' rules. `push` returns a flat array
 * `[kind, data, kind, data, …]` where kind is `"event"` (data = event JSON) or `"error"`
 * (data = error envelope JSON; the stream ends).
 */
export class EventParser {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        EventParserFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_eventparser_free(ptr, 0);
    }
    /**
     * Ends the body; returns whether an unterminated message was dropped.
     * @returns {boolean}
     */
    finish() {
        const ret = wasm.eventparser_finish(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * A parser refusing lines longer than `max_line` bytes (default 16 MiB).
     * @param {number | null} [max_line]
     */
    constructor(max_line) {
        const ret = wasm.eventparser_new(isLikeNone(max_line) ? Number.MAX_SAFE_INTEGER : (max_line) >>> 0);
        this.__wbg_ptr = ret;
        EventParserFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Feeds a chunk of the response body.
     * @param {Uint8Array | number[]} chunk
     * @returns {string[]}
     */
    push(chunk) {
        const ptr0 = passArray8ToWasm0(chunk, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.eventparser_push(this.__wbg_ptr, ptr0, len0);
        if (ret[3]) {
            throw takeFromExternrefTable0(ret[2]);
        }
        var v2 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v2;
    }
}
if (Symbol.dispose) EventParser.prototype[Symbol.dispose] = EventParser.prototype.free;

/**
 * The machine of one stream.
 */
export class StreamMachine {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        StreamMachineFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_streammachine_free(ptr, 0);
    }
    /**
     * Records a backfilled event: 0 = already delivered (skip it), 1 = deliver it,
     * 2 = deliver it, and nothing follows.
     * @param {string | null | undefined} id
     * @param {string | null | undefined} processed_at
     * @param {string} type_name
     * @returns {number}
     */
    accept(id, processed_at, type_name) {
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = isLikeNone(id) ? 0 : passStringToWasm0(id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(processed_at) ? 0 : passStringToWasm0(processed_at, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passStringToWasm0(type_name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.streammachine_accept(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2);
        return ret;
    }
    /**
     * The backfill failed.
     * @param {number | null} [status]
     */
    backfillFailed(status) {
        wasm.streammachine_backfillFailed(this.__wbg_ptr, isLikeNone(status) ? 0xFFFFFF : status);
    }
    /**
     * The backfill finished.
     */
    backfilled() {
        wasm.streammachine_backfilled(this.__wbg_ptr);
    }
    /**
     * A chunk of the body.
     * @param {Uint8Array | number[]} chunk
     */
    bytes(chunk) {
        const ptr0 = passArray8ToWasm0(chunk, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        wasm.streammachine_bytes(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * The body ended.
     */
    closed() {
        wasm.streammachine_closed(this.__wbg_ptr);
    }
    /**
     * Opening the stream failed (`status` absent for a connection failure).
     * @param {number | null} [status]
     */
    connectFailed(status) {
        wasm.streammachine_connectFailed(this.__wbg_ptr, isLikeNone(status) ? 0xFFFFFF : status);
    }
    /**
     * The stream's response head arrived.
     */
    connected() {
        wasm.streammachine_connected(this.__wbg_ptr);
    }
    /**
     * A machine; `backfill` also delivers the history before the first connection.
     * @param {boolean} backfill
     * @param {number} initial_backoff_ms
     */
    constructor(backfill, initial_backoff_ms) {
        const ret = wasm.streammachine_new(backfill, initial_backoff_ms);
        this.__wbg_ptr = ret;
        StreamMachineFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Every action due now, as one string of fields joined by NUL (one decode for the
     * whole batch; JSON text never holds a raw NUL, and a message that does is delivered
     * as malformed). Deliveries first (`event, json` (fresh: the machine accepted it),
     * `malformed, raw, error`, `give_up_status, status`, `give_up_error, data`), then the
     * one thing to do (`connect`, `read`, `backfill, since` (empty: all), `wait, ms`,
     * `finished`).
     * @returns {string}
     */
    poll() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.streammachine_poll(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Reading the body failed.
     */
    readFailed() {
        wasm.streammachine_readFailed(this.__wbg_ptr);
    }
    /**
     * How many times the stream reconnected.
     * @returns {number}
     */
    reconnects() {
        const ret = wasm.streammachine_reconnects(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The JS engine could not parse a delivered event: forget its id.
     * @param {string} json
     */
    reject(json) {
        const ptr0 = passStringToWasm0(json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        wasm.streammachine_reject(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * Nothing arrived within the stall timeout.
     */
    stalled() {
        wasm.streammachine_stalled(this.__wbg_ptr);
    }
    /**
     * The wait is over.
     */
    waited() {
        wasm.streammachine_waited(this.__wbg_ptr);
    }
}
if (Symbol.dispose) StreamMachine.prototype[Symbol.dispose] = StreamMachine.prototype.free;

/**
 * `?a=1&types%5B%5D=x` from flat `[key, value, …]` pairs; array keys end with `[]`.
 * @param {string[]} pairs
 * @returns {string}
 */
export function encodeQuery(pairs) {
    let deferred2_0;
    let deferred2_1;
    try {
        const ptr0 = passArrayJsValueToWasm0(pairs, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.encodeQuery(ptr0, len0);
        deferred2_0 = ret[0];
        deferred2_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
    }
}

/**
 * Whether an event of this type ends the session (nothing follows it).
 * @param {string} type_name
 * @returns {boolean}
 */
export function endsSession(type_name) {
    const ptr0 = passStringToWasm0(type_name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.endsSession(ptr0, len0);
    return ret !== 0;
}

/**
 * The SDK error class name for a status (`RateLimitError`, …; `APIError` otherwise).
 * @param {number | null} [status]
 * @returns {string}
 */
export function errorClass(status) {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.errorClass(isLikeNone(status) ? 0xFFFFFF : status);
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}

/**
 * Whether this version knows events of this type (one of the 44).
 * @param {string} type_name
 * @returns {boolean}
 */
export function isKnownEventType(type_name) {
    const ptr0 = passStringToWasm0(type_name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.isKnownEventType(ptr0, len0);
    return ret !== 0;
}

/**
 * The request headers as a flat `[name, value, …]` array.
 * @param {string | null | undefined} api_key
 * @param {string[]} betas
 * @param {string | null | undefined} workspace_id
 * @param {boolean} direct_browser_access
 * @param {string | null | undefined} beta
 * @param {number} retry_count
 * @returns {string[]}
 */
export function requestHeaders(api_key, betas, workspace_id, direct_browser_access, beta, retry_count) {
    const val5 = +direct_browser_access;
    const val6 = +retry_count;
    let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
    try {
        ptr0 = isLikeNone(api_key) ? 0 : passStringToWasm0(api_key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArrayJsValueToWasm0(betas, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = isLikeNone(workspace_id) ? 0 : passStringToWasm0(workspace_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = isLikeNone(beta) ? 0 : passStringToWasm0(beta, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__externref_drop_slice(ptr1, len1); wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.requestHeaders(ptr0, len0, ptr1, len1, ptr2, len2, val5, ptr3, len3, val6);
    var v7 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v7;
}

/**
 * Seconds to wait before retry number `retries_made + 1`, or `undefined` to give up.
 * `status` is absent for a connection failure; headers are looked up in `headers`
 * (a `Headers` object or `undefined`).
 * @param {number} retries_made
 * @param {number} max_retries
 * @param {number | null} [status]
 * @param {object | null} [headers]
 * @returns {number | undefined}
 */
export function retryDelay(retries_made, max_retries, status, headers) {
    const val1 = +retries_made;
    const val2 = +max_retries;
    const val3 = +(isLikeNone(status) ? 0xFFFFFF : status);
    const ret = wasm.retryDelay(val1, val2, val3, isLikeNone(headers) ? 0 : addToExternrefTable0(headers));
    return ret[0] === 0 ? undefined : ret[1];
}

/**
 * Verifies a Standard Webhooks delivery (`outrig_api::webhook::verify`): the three
 * `webhook-*` header values, the raw body, the time now and the tolerance, in seconds.
 * Throws the reason when it does not verify.
 * @param {string} secret
 * @param {string | null | undefined} id
 * @param {string | null | undefined} timestamp
 * @param {string | null | undefined} signature
 * @param {Uint8Array | number[]} body
 * @param {number} now_secs
 * @param {number} tolerance_secs
 */
export function verifyWebhook(secret, id, timestamp, signature, body, now_secs, tolerance_secs) {
    const val6 = +now_secs;
    const val7 = +tolerance_secs;
    let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4;
    try {
        ptr0 = passStringToWasm0(secret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = isLikeNone(id) ? 0 : passStringToWasm0(id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = isLikeNone(timestamp) ? 0 : passStringToWasm0(timestamp, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = isLikeNone(signature) ? 0 : passStringToWasm0(signature, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
        ptr4 = passArray8ToWasm0(body, wasm.__wbindgen_malloc);
        len4 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr4) { wasm.__wbindgen_free(ptr4, len4 * 1, 1); }
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.verifyWebhook(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4, val6, val7);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg___wbindgen_is_function_741ff2bb612836f5: function(arg0) {
            const ret = typeof(arg0) === 'function';
            return ret;
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_call_a410eb4b59ed5965: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.call(arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_get_2080c49015e35254: function() { return handleError(function (arg0, arg1) {
            const ret = Reflect.get(arg0, arg1);
            return ret;
        }, arguments); },
        __wbg_now_463ac581d2fc7ea3: function() {
            const ret = Date.now();
            return ret;
        },
        __wbg_random_df36b90cd78a7d54: function() {
            const ret = Math.random();
            return ret;
        },
        __wbindgen_generic_0000000000000001: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./outrig_wasm_bg.js": import0,
    };
}

const EventParserFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_eventparser_free(ptr, 1));
const StreamMachineFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_streammachine_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayJsValueToWasm0(array, malloc) {
    const ptr = malloc(array.length * 4, 4) >>> 0;
    for (let i = 0; i < array.length; i++) {
        const add = addToExternrefTable0(array[i]);
        getDataViewMemory0().setUint32(ptr + 4 * i, add, true);
    }
    WASM_VECTOR_LEN = array.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('outrig_wasm_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
