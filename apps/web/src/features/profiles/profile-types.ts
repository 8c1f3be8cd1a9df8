/** Read-model shapes of the profile, places and public endpoints, as the API answers them. */

export interface FlagBrief {
  id: string;
  ruleId: string;
  scheme: string;
  subjectKind: string;
  subjectId: string;
  status: string;
  severity: string;
  score: number;
  explanation: Record<string, string>;
  lastRaisedAt: string;
}

export interface OfficerProfile {
  officer: { id: string; unit: string | null; role: string | null; inRoster: boolean };
  period: { from: string; to: string; timeZone: string };
  months: { month: string; reviews: number; confirmations: number; rejections: number; cancellations: number; amendments: number; adverseRate: number | null }[];
  peers: {
    unit: string | null;
    months: { month: string; peers: number; p25: number | null; median: number | null; p75: number | null }[];
    latest: { month: string; peerRates: number[]; officerRate: number | null } | null;
  };
  recent: { ref: string; plate: string | null; status: string | null; action: string; at: string }[];
  flags: FlagBrief[];
}

export interface VehicleProfile {
  plate: { received: string; plateKey: string; seenAs: string[] };
  registered: { plate: string; kind: string } | null;
  totals: { violations: number; byStatus: Record<string, number> };
  months: { month: string; total: number; byStatus: Record<string, number> }[];
  cancellations: { ref: string; at: string; recordedAt: string | null; officerId: string; unit: string | null; reasonCode: string | null; legalBasis: string | null }[];
  officers: { officerId: string; unit: string | null; confirmations: number; rejections: number; cancellations: number; amendments: number }[];
  flags: FlagBrief[];
  /** Entries left out because they concern the reader's own officer record or unit. */
  withheldForRecusal?: number;
}

export interface CameraProfile {
  camera: { id: string; district: string | null; lat: number | null; lon: number | null; inRegister: boolean };
  period: { from: string; to: string; timeZone: string };
  weeks: { week: string; detections: number; rejected: number; cancelled: number }[];
  adverse: { detections: number; rejected: number; cancelled: number; share: number | null; allCamerasMedian: number | null; cameras: number };
  officers: { officerId: string; reviews: number; confirmations: number; rejections: number; cancellations: number }[];
  flags: FlagBrief[];
  /** Entries left out because they concern the reader's own officer record or unit. */
  withheldForRecusal?: number;
}

export interface PlacesView {
  period: { from: string; to: string };
  district: string | null;
  districts: { district: string; violations: number; cancellations: number; openFlags: number; lat?: number | null; lon?: number | null }[];
  grid: { cellDegrees: number; cells: { lat: number; lon: number; violations: number; cancellations: number }[] };
}

export interface PublicCell {
  count: number | null;
  suppressed: boolean;
}

export interface PublicStats {
  period: { from: string; to: string; timeZone: string };
  minCellCount: number;
  byDistrict: { week: string; district: string | null; violations: PublicCell; cancellations: PublicCell }[];
  byCamera: { week: string; cameraId: string; violations: PublicCell; cancellations: PublicCell }[];
}
