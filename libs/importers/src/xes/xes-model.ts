/**
 * The shape of an IEEE 1849 (XES) event log as the streaming reader hands it out.
 * Only one trace is materialised at a time; the log header (extensions, globals,
 * classifiers, log attributes) is small and read once before the first trace.
 */

export const XES_SCALAR_TYPES = ['string', 'date', 'int', 'float', 'boolean', 'id'] as const;
export const XES_COMPOSITE_TYPES = ['list', 'container'] as const;
export type XesScalarType = (typeof XES_SCALAR_TYPES)[number];
export type XesCompositeType = (typeof XES_COMPOSITE_TYPES)[number];
export type XesAttributeType = XesScalarType | XesCompositeType;

/** Attributes of one element, by key, in document order (a Map so no key can clash with Object's own). */
export type XesAttributes = Map<string, XesAttribute>;

interface XesAttributeBase {
  key: string;
  /** The value exactly as written in the file, kept as evidence even when it does not parse. */
  raw: string;
  /** Nested attributes (XES "nested-attributes" feature, or the items of a list/container). */
  children?: XesAttributes;
  /** True when the element itself lacked the attribute and it was filled from a <global> default. */
  fromGlobal?: true;
}

/**
 * A typed attribute. `value` is null when `raw` does not parse as the declared type
 * (an int "12x", a date without an offset): the reader never guesses, and the mapping
 * that needs the value rejects the record with the attribute's name.
 */
export type XesAttribute =
  | (XesAttributeBase & { type: 'string' | 'id'; value: string })
  | (XesAttributeBase & { type: 'date'; value: Date | null })
  | (XesAttributeBase & { type: 'int' | 'float'; value: number | null })
  | (XesAttributeBase & { type: 'boolean'; value: boolean | null })
  | (XesAttributeBase & { type: XesCompositeType; value: null });

export interface XesExtension {
  name: string;
  prefix: string;
  uri: string;
}

export interface XesClassifier {
  name: string;
  /** Attribute keys the classifier is built from, as listed in its `keys` attribute. */
  keys: string;
  scope?: string;
}

export interface XesLogHeader {
  xesVersion?: string;
  features?: string;
  extensions: XesExtension[];
  classifiers: XesClassifier[];
  /** Defaults from <global scope="trace">, filled into traces that lack the key. */
  traceGlobals: XesAttributes;
  /** Defaults from <global scope="event">, filled into events that lack the key. */
  eventGlobals: XesAttributes;
  attributes: XesAttributes;
}

export interface XesEvent {
  /** 1-based position of the event in the whole log, in document order. */
  position: number;
  /** 0-based position of the event inside its trace. */
  indexInTrace: number;
  attributes: XesAttributes;
}

export interface XesTrace {
  /** 1-based position of the trace in the log. */
  position: number;
  attributes: XesAttributes;
  events: XesEvent[];
}
