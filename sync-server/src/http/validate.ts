import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError } from './errors';

/** A readable list of what is wrong, with the path of each problem. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = describeIssues(result.error);
    const first = issues[0];
    throw new AppError('malformed_request', `Invalid ${what}: ${first ? `${first.path}: ${first.message}` : 'bad input'}`, issues);
  }
  return result.data;
}

/** Validates the body once at the edge so the handler receives typed data (`res.locals.body`). */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, res, next) => {
    res.locals.body = parseOr400(schema, req.body, 'body');
    next();
  };
}

export function validateQuery<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, res, next) => {
    res.locals.query = parseOr400(schema, req.query, 'query');
    next();
  };
}
