import { z } from 'zod';
import { Localized, Source } from './schema';

/** Who a criminal record certificate is for. */
export const CertificateSubject = z.enum(['self', 'adult', 'minor', 'ward', 'company']);
export type CertificateSubject = z.infer<typeof CertificateSubject>;
/** How a request reaches the Centre. */
export const SubmitChannel = z.enum(['in_person', 'post', 'email', 'fax', 'eservice']);
export type SubmitChannel = z.infer<typeof SubmitChannel>;
/** Whom an archive request is about. */
export const ArchiveSubject = z.enum(['self', 'ward', 'deceased']);
export type ArchiveSubject = z.infer<typeof ArchiveSubject>;
/** Where an archive application goes. */
export const ArchiveChannel = z.enum(['centre', 'archive_department', 'eservice']);
export type ArchiveChannel = z.infer<typeof ArchiveChannel>;

/**
 * A text may name facts kept elsewhere, filled in when the checklist is built, so that an address
 * or a number lives in one file only: {{centre.address}}, {{centre.postal}}, {{centre.phone}},
 * {{centre.fax}}, {{centre.email}}, {{archive.address}}, {{archive.phones}}, {{archive.email}}.
 */
/** One entry for every key of an enum: a guide must know every case it offers. */
function everyKey<K extends string, T extends z.ZodTypeAny>(keys: z.ZodEnum<[K, ...K[]]>, value: T) {
  return z.object(Object.fromEntries(keys.options.map((k) => [k, value])) as Record<K, T>).strict();
}

const Option = z.object({ label: Localized, source: z.array(Source).min(1) }).strict();

export const GuidesFile = z.object({
  criminalRecord: z.object({
    subjects: everyKey(CertificateSubject, Option.extend({
      /** The rules that apply to this case (who submits, who may collect). */
      rules: z.array(Localized),
    }).strict()),
    channels: everyKey(SubmitChannel, Option.extend({
      /** What to do to submit, in order. */
      steps: z.array(Localized).min(1),
      /** Whether calling to check the documents arrived makes sense for this channel. */
      checkArrival: z.boolean(),
    }).strict()),
    /** What to present when collecting the certificate at the Centre. */
    collectDocuments: z.array(Localized).min(1),
    /** Said where the standard does not say how a certificate requested this way is received. */
    collectNote: Localized,
    company: z.object({ text: Localized, source: z.array(Source).min(1) }).strict(),
  }).strict(),
  archive: z.object({
    subjects: everyKey(ArchiveSubject, Option.extend({ enclose: z.array(Localized).min(1) }).strict()),
    channels: everyKey(ArchiveChannel, Option.extend({
      steps: z.array(Localized).min(1),
      /** The schedule that applies to this channel, if it has hours. */
      scheduleId: z.string().optional(),
    }).strict()),
    collect: z.object({ text: Localized, scheduleId: z.string(), source: z.array(Source).min(1) }).strict(),
  }).strict(),
}).strict();
export type GuidesFile = z.infer<typeof GuidesFile>;
