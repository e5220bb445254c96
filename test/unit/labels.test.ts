// The renderer keeps its own copy of the Chinese labels (it may not import main/ at run time);
// this test keeps the copy identical to the core's, so the UI and `lrw` never say different things.
import { describe, expect, it } from 'vitest';
import * as core from '../../main/core/domain/types';
import { PROVISIONAL_LABEL } from '../../main/core/domain/calendar';
import { CLOCK_STATE_LABELS as CORE_CLOCK, COUNT_MODE_LABELS as CORE_MODE } from '../../main/core/domain/calendar';
import * as ui from '../../renderer/src/labels';

describe('renderer labels', () => {
  it.each([
    'ROLES',
    'ROLE_LABELS',
    'DECISION_KINDS',
    'DECISION_KIND_LABELS',
    'CASE_STATES',
    'CASE_STATE_LABELS',
    'CRITERIA',
    'FINDING_RESULTS',
    'FINDING_LABELS',
    'CRIME_CRITERION',
    'CRIME_FINDING_LABELS',
    'OUTCOMES',
    'OUTCOME_LABELS',
    'APPROVAL_DECISIONS',
    'APPROVAL_LABELS',
  ] as const)('%s matches the core', (name) => {
    expect(ui[name]).toEqual(core[name]);
  });

  it('findingLabel says the same as the core for every criterion and result', () => {
    for (let c = 1; c <= 9; c++) for (const r of core.FINDING_RESULTS) expect(ui.findingLabel(c, r)).toBe(core.findingLabel(c, r));
    expect(core.findingLabel(7, 'conform')).toBe('不涉嫌犯罪');
    expect(core.findingLabel(7, 'nonconform')).toBe('涉嫌犯罪，应当移送');
    expect(core.findingLabel(7, 'needs_correction')).toBe('需进一步核实');
    expect(core.findingLabel(3, 'conform')).toBe('符合');
  });

  it('calendar labels match the core', async () => {
    expect(ui.PROVISIONAL_LABEL).toBe(PROVISIONAL_LABEL);
    expect(ui.COUNT_MODE_LABELS).toEqual(CORE_MODE);
    for (const k of Object.keys(CORE_CLOCK) as (keyof typeof CORE_CLOCK)[]) expect(ui.CLOCK_STATE_LABELS[k]).toBe(CORE_CLOCK[k]);
  });
});
