/**
 * Reference data the rules judge events against: who the officers are and when they
 * work, which vehicles exist, which cameras, which emergency dispatches happened, and
 * what kind of system each source is. It is loaded from the systems that own it (HR,
 * the vehicle register, dispatch), never inferred from the events themselves.
 */

export const SOURCE_KINDS = ['camera', 'review', 'register', 'treasury', 'dispatch', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface SourceRecord {
  code: string;
  name: string;
  kind: SourceKind;
}

export const OFFICER_ROLES = ['reviewer', 'supervisor', 'appeals_desk'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** A weekly shift in local time (the configured zone): ISO weekdays 1-7, hours 0-24 (end may pass midnight: 22 -> 6). */
export interface Shift {
  days: number[];
  startHour: number;
  endHour: number;
}

export interface Absence {
  kind: 'leave' | 'dismissed' | 'deceased' | 'suspended';
  from: string;
  /** Absent for good when missing. */
  to?: string;
}

export interface OfficerRecord {
  id: string;
  unit: string;
  role: OfficerRole;
  shift: Shift;
  absences: Absence[];
}

export const VEHICLE_KINDS = ['private', 'fleet', 'leasing', 'special'] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

export interface VehicleRecord {
  /** As registered. */
  plate: string;
  kind: VehicleKind;
  ownerRef?: string;
}

export interface CameraRecord {
  id: string;
  district: string;
  lat: number;
  lon: number;
}

/** An emergency vehicle's dispatch: it was on duty between from and to. */
export interface DispatchRecord {
  id: string;
  plate: string;
  from: string;
  to: string;
}

export interface ReferenceData {
  sources: SourceRecord[];
  officers: OfficerRecord[];
  vehicles: VehicleRecord[];
  cameras: CameraRecord[];
  dispatches: DispatchRecord[];
}
