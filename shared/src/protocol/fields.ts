import { z } from 'zod';
import { isStorableText, isStorableTime } from '../domain/limits';

/** Text that can be stored and shown (no NUL, no unpaired surrogates), at most `max` characters. */
export const text = (max: number) => z.string().max(max).refine(isStorableText, 'must not contain control characters or broken Unicode');

/** A device's clock reading, as ISO 8601 with its offset, that the database can store. */
export const deviceTime = z.iso
  .datetime({ offset: true })
  .refine(isStorableTime, 'must be a real time (years 1970 to 9999, an offset of at most 14 hours)');

/** `storeIds=a,b,c` in a query string: at most 1,000 ids. */
export const StoreIdList = z
  .string()
  .optional()
  .transform((raw) => (raw ? raw.split(',').map((s) => s.trim()) : undefined))
  .pipe(z.array(z.uuid()).min(1).max(1000).optional());

/** An IANA time zone the runtime knows (`Asia/Karachi`): a store's days are counted in it. */
export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not a known time zone (for example Asia/Karachi)');

/** A page asked of an admin's list: from 1, at most 200 rows. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};
/** A page of an admin's list, with how many rows match in all. */
export const listOf = <Row extends z.ZodType>(row: Row) => z.strictObject({ rows: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
