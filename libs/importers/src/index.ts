/**
 * @qadaga/importers: turns other systems' records into the domain's lifecycle events.
 * XES event logs (plain or zipped) and CSV exports are streamed, never loaded whole, and
 * mapped by declarative JSON mappings; every source record yields one ImportRecord.
 */
export type { AcceptedRecord, ImportRecord, RejectedRecord } from './import-record.js';
export { isRejected } from './import-record.js';
export type { FieldIssue } from './shared/issues.js';
export { MappingError } from './shared/issues.js';
export { ReadProgress } from './shared/read-progress.js';

export type { XesAttribute, XesAttributes, XesAttributeType, XesEvent, XesLogHeader, XesTrace } from './xes/xes-model.js';
export { readXesTraces, type ReadXesOptions } from './xes/read-xes-traces.js';

export type { Condition, Expr, JsonScalar } from './mapping/expression.js';
export type { ActorTemplate, EventTemplate, PayloadTemplate } from './mapping/event-template.js';

export { XES_MAPPING_FORMAT, type XesActivityRule, type XesEmission, type XesMapping } from './xes-mapping/xes-mapping-schema.js';
export { loadXesMapping } from './xes-mapping/load-xes-mapping.js';
export { mapXesTrace, type MapXesOptions } from './xes-mapping/map-xes-trace.js';
export { readXesRecords } from './xes-mapping/read-xes-records.js';

export { CSV_MAPPING_FORMAT, SNAPSHOT_KINDS, type CsvDialectOptions, type CsvMapping, type ImpliedEvent, type SnapshotKind } from './csv/csv-mapping-schema.js';
export { loadCsvMapping } from './csv/load-csv-mapping.js';
export { readCsvRecords, type ReadCsvOptions } from './csv/read-csv-records.js';
