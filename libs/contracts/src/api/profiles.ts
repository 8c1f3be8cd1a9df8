import { z } from 'zod';
import { answerId, isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';

/** from/to of a read model's query: ISO instants with an offset, both optional. */
export const periodQueryFields = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

const PeriodQuery = z.strictObject(periodQueryFields);

/** The period a read model covers, in the zone whose calendar buckets it. */
export const ReadPeriod = z.object({ from: isoInstant, to: isoInstant, timeZone: z.string() }).meta({ id: 'ReadPeriod' });

/** Entries left out because they concern the reader's own officer record or unit. */
const withheldForRecusal = z.number().int().min(0).meta({ description: "entries left out because they concern the reader's own officer record or unit (recusal)" });

/** An open (not dismissed) flag as a profile lists it. */
export const FlagBrief = z
  .object({
    id: answerId,
    ruleId: z.string(),
    scheme: z.string(),
    subjectKind: z.string(),
    subjectId: z.string(),
    /** The unit the subject was judged in, when known: recusal withholds a unit's flags. */
    unit: z.string().nullable(),
    status: z.string(),
    severity: z.string(),
    score: z.number(),
    explanation: z.record(z.string(), z.string()),
    lastRaisedAt: isoInstant,
  })
  .meta({ id: 'FlagBrief' });
export type FlagBrief = z.infer<typeof FlagBrief>;

export const OfficerIdentity = z
  .object({
    id: z.string(),
    unit: z.string().nullable(),
    role: z.string().nullable(),
    inRoster: z.boolean().meta({ description: 'false for an officer known only from the events (an imported log), not from the roster' }),
  })
  .meta({ id: 'OfficerIdentity' });
export type OfficerIdentity = z.infer<typeof OfficerIdentity>;

export const OfficerMonth = z
  .object({
    month: z.string(),
    reviews: z.number().int(),
    confirmations: z.number().int(),
    rejections: z.number().int(),
    cancellations: z.number().int(),
    amendments: z.number().int(),
    adverseRate: z.number().nullable().meta({ description: '(rejections + cancellations) / reviews, the share the outlier rule judges; null with no reviews' }),
  })
  .meta({ id: 'OfficerMonth' });
export type OfficerMonth = z.infer<typeof OfficerMonth>;

export const PeerMonth = z
  .object({
    month: z.string(),
    peers: z.number().int().meta({ description: 'unit peers (the officer excluded) with at least one review that month' }),
    p25: z.number().nullable(),
    median: z.number().nullable(),
    p75: z.number().nullable(),
  })
  .meta({ id: 'PeerMonth' });
export type PeerMonth = z.infer<typeof PeerMonth>;

export const OfficerProfile = z
  .object({
    officer: OfficerIdentity,
    period: ReadPeriod,
    months: z.array(OfficerMonth),
    peers: z.object({
      unit: z.string().nullable(),
      months: z.array(PeerMonth),
      /** The last month with peer data: each peer's rate (anonymous) and this officer's, for a histogram. */
      latest: z.object({ month: z.string(), peerRates: z.array(z.number()), officerRate: z.number().nullable() }).nullable(),
    }),
    recent: z.array(z.object({ ref: z.string(), plate: z.string().nullable(), status: z.string().nullable(), action: z.string(), at: isoInstant })),
    flags: z.array(FlagBrief),
  })
  .meta({ id: 'OfficerProfile' });
export type OfficerProfile = z.infer<typeof OfficerProfile>;

const countsByStatus = z.record(z.string(), z.number().int());

export const VehicleProfile = z
  .object({
    plate: z.object({ received: z.string(), plateKey: z.string(), seenAs: z.array(z.string()) }),
    registered: z.object({ plate: z.string(), kind: z.string() }).nullable(),
    totals: z.object({ violations: z.number().int(), byStatus: countsByStatus }),
    /** Violations by the local month of detection and their current status. */
    months: z.array(z.object({ month: z.string(), total: z.number().int(), byStatus: countsByStatus })),
    cancellations: z.array(
      z.object({
        ref: z.string(),
        at: isoInstant,
        recordedAt: isoInstant.nullable(),
        officerId: z.string(),
        unit: z.string().nullable(),
        reasonCode: z.string().nullable(),
        legalBasis: z.string().nullable(),
      }),
    ),
    officers: z.array(
      z.object({
        officerId: z.string(),
        unit: z.string().nullable(),
        confirmations: z.number().int(),
        rejections: z.number().int(),
        cancellations: z.number().int(),
        amendments: z.number().int(),
      }),
    ),
    flags: z.array(FlagBrief),
    withheldForRecusal,
  })
  .meta({ id: 'VehicleProfile' });
export type VehicleProfile = z.infer<typeof VehicleProfile>;

export const CameraProfile = z
  .object({
    camera: z.object({ id: z.string(), district: z.string().nullable(), lat: z.number().nullable(), lon: z.number().nullable(), inRegister: z.boolean() }),
    period: ReadPeriod,
    /** Detections by local week (the Monday it starts on). */
    weeks: z.array(z.object({ week: z.string(), detections: z.number().int(), rejected: z.number().int(), cancelled: z.number().int() })),
    /** Detections of the period that ended rejected or cancelled, against every camera's share. */
    adverse: z.object({
      detections: z.number().int(),
      rejected: z.number().int(),
      cancelled: z.number().int(),
      share: z.number().nullable(),
      allCamerasMedian: z.number().nullable(),
      cameras: z.number().int(),
    }),
    officers: z.array(
      z.object({ officerId: z.string(), reviews: z.number().int(), confirmations: z.number().int(), rejections: z.number().int(), cancellations: z.number().int() }),
    ),
    flags: z.array(FlagBrief),
    withheldForRecusal,
  })
  .meta({ id: 'CameraProfile' });
export type CameraProfile = z.infer<typeof CameraProfile>;

/** What a read model answers before the API withholds what the reader is recused from. */
export type VehicleProfileData = Omit<VehicleProfile, 'withheldForRecusal'>;
export type CameraProfileData = Omit<CameraProfile, 'withheldForRecusal'>;

const textParam = (name: string, what: string) => z.object({ [name]: z.string().meta({ description: what }) });

export const profileEndpoints = {
  officer: endpoint({
    method: 'GET',
    path: '/v1/officers/{id}/profile',
    tag: 'profiles',
    access: ['prosecutor', 'auditor', 'admin'],
    summary:
      "An officer's monthly reviews, confirmations, rejections, cancellations and amendments, the rejection-and-cancellation rate against the unit's peers, recent actions and open flags. Refused for the officer and their own unit.",
    params: textParam('id', "the officer's id (1-128 characters)"),
    query: PeriodQuery,
    response: OfficerProfile,
  }),
  vehicle: endpoint({
    method: 'GET',
    path: '/v1/vehicles/{plate}/profile',
    tag: 'profiles',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: 'A vehicle however its plate was typed: violations by month and status, cancellations, the officers who handled them, and open flags',
    params: textParam('plate', 'the plate as typed (1-20 characters)'),
    query: z.strictObject({}),
    response: VehicleProfile,
  }),
  camera: endpoint({
    method: 'GET',
    path: '/v1/cameras/{id}/profile',
    tag: 'profiles',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: "A camera's detections per week, its share rejected or cancelled against every camera's median, the officers who review it most, and open flags",
    params: textParam('id', "the camera's id (1-64 characters)"),
    query: PeriodQuery,
    response: CameraProfile,
  }),
} satisfies Record<string, EndpointContract>;
