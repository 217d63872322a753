import { useId } from 'react';
import { useLanguage } from '../i18n/language';
import type { Strings } from '../i18n/strings';
import { typedPriceProblem, typedQuantityProblem } from './amounts';

export type NumberRule = 'positive' | 'nonzero' | 'nonnegative' | 'price';

/** What is wrong with a typed value under a rule, in the user's words, or null; an empty optional box is fine. */
export function numberProblem(t: Strings, text: string, rule: NumberRule, optional = false): string | null {
  if (text.trim() === '') return optional ? null : t.quantityProblems.not_a_number;
  if (rule === 'price') {
    const problem = typedPriceProblem(text);
    return problem ? t.priceProblems[problem] : null;
  }
  const problem = typedQuantityProblem(text, { signed: rule === 'nonzero', zero: rule === 'nonnegative' });
  if (problem === 'invalid_quantity') return rule === 'positive' ? t.mustBePositive : rule === 'nonzero' ? t.mustBeNonZero : t.mustBeZeroOrMore;
  return problem ? t.quantityProblems[problem] : null;
}

export function useNumberProblem() {
  const { t } = useLanguage();
  return (text: string, rule: NumberRule, optional = false) => numberProblem(t, text, rule, optional);
}

/**
 * A quantity or money box that keeps exactly what is typed and says beside
 * itself what the server would refuse in it (SPEC.md R10), once something
 * has been typed.
 */
export function NumberField(props: { label: string; value: string; onChange: (text: string) => void; rule: NumberRule; optional?: boolean; placeholder?: string }) {
  const problemOf = useNumberProblem();
  const id = useId();
  const problem = props.value.trim() === '' ? null : problemOf(props.value, props.rule, props.optional);
  return (
    <label>
      {props.label}
      <input
        inputMode="decimal"
        autoComplete="off"
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? id : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {problem && (
        <span id={id} className="field-error">
          {problem}
        </span>
      )}
    </label>
  );
}
