/** The save / test form actions, shared by the "new source" and "edit source" pages. */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { sql } from '#server/db';
import { formValues, parseForm, type FormFailure } from '../forms.ts';
import { jobQueue } from '../jobs/sender.ts';
import { dropQueuedPollsOf, saveSource, sourceFormSchema, testSource } from './sources.ts';

const SECRET = new Set(['apiKey', 'password', 'token']);
const keep = (form: FormData) => Object.fromEntries(Object.entries(formValues(form)).filter(([k]) => !SECRET.has(k)));

/** The form's "Kỳ công bố" boxes (one `periods` entry per ticked box) as the one field the schema reads: "month,quarter". */
function readForm(form: FormData): FormData {
  const ticked = form.getAll('periods').filter((v): v is string => typeof v === 'string' && v !== '');
  form.set('periods', ticked.join(','));
  return form;
}

export function sourceActions(existingKey: (event: RequestEvent) => string | undefined) {
  return {
    save: async (event: RequestEvent) => {
      const form = readForm(await event.request.formData());
      const parsed = parseForm(sourceFormSchema, form);
      if ('failure' in parsed) return parsed.failure;
      const result = await saveSource(await sql(), parsed.data, {
        actor: event.locals.principal, ip: event.getClientAddress(), existingKey: existingKey(event), jobs: await jobQueue()
      });
      if ('errors' in result) {
        return fail(400, { values: keep(form), errors: result.errors, message: Object.values(result.errors).join('; ') } satisfies FormFailure);
      }
      // Saved disabled: its polls waiting in the queue go too.
      if (!parsed.data.enabled) await dropQueuedPollsOf(await sql(), await jobQueue(), result.key);
      // "Lưu và kiểm tra": the source's page runs the test connection once it is open.
      redirect(303, `/admin/sources/${result.key}?saved=1${form.get('then') === 'test' ? '&test=1' : ''}`);
    },
    test: async (event: RequestEvent) => {
      const form = readForm(await event.request.formData());
      const parsed = parseForm(sourceFormSchema, form);
      if ('failure' in parsed) return parsed.failure;
      const result = await testSource(await sql(), parsed.data, existingKey(event), { actor: event.locals.principal, ip: event.getClientAddress() });
      if ('errors' in result) {
        return fail(400, { values: keep(form), errors: result.errors, message: Object.values(result.errors).join('; ') } satisfies FormFailure);
      }
      return { values: keep(form), test: result };
    }
  };
}
