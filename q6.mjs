import D from 'better-sqlite3';
const db = new D(process.argv[2]);
const t=(q,...a)=>{const s=db.prepare(q).raw(true);for(let i=0;i<50;i++)s.all(...a);const t0=performance.now();let r;for(let i=0;i<300;i++)r=s.all(...a);console.log(((performance.now()-t0)/300*1000).toFixed(0),'µs',JSON.stringify(r).length,q.slice(0,100));console.log('  ',db.prepare('explain query plan '+q).all(...a).map(r=>r.detail).join(' | '));};
const cols='"users"."id", "users"."display_name", "users"."email", "users"."timezone", "users"."date_format", "users"."time_format", "users"."tfa_enabled", "users"."is_active", "users"."is_service_account", "users"."role_id", "users"."created_at", "users"."created_by", "users"."updated_at", "users"."updated_by", "users"."is_superuser", "users"."service_org_id"';
t(`select * from "users" order by "users"."id" asc limit ? offset ?`, 101, 0);
t(`select ${cols} from "users" order by "users"."id" asc limit ? offset ?`, 101, 0);
t(`select ${cols} from "users" order by "id" asc limit ? offset ?`, 101, 0);
