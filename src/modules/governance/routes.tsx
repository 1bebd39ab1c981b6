import type { FastifyInstance } from 'fastify';
import { useView } from '../../core/ui/view.ts';
import { Tr } from '../../core/ui/components.tsx';
import { listInstitutions } from './institutions.ts';

function InstitutionsPage({ items }: { items: Awaited<ReturnType<typeof listInstitutions>> }) {
  const { t } = useView();
  return (
    <section>
      <h1>{t('governance.institutionsTitle')}</h1>
      <ul>{items.map((i) => <li><Tr value={i.name} /> — {t(`institutions.kind.${i.kind}`)}</li>)}</ul>
    </section>
  );
}

export async function governancePages(app: FastifyInstance) {
  app.get('/institutions', async (req, reply) => reply.page(req.t('governance.institutionsTitle'), <InstitutionsPage items={await listInstitutions(req.ctx)} />));
}
