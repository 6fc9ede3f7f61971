import D from 'better-sqlite3';
const db = new D(process.argv[2]);
const t=(q,...a)=>{const s=db.prepare(q).raw(true);for(let i=0;i<50;i++)s.all(...a);const t0=performance.now();let r;for(let i=0;i<300;i++)r=s.all(...a);console.log(((performance.now()-t0)/300*1000).toFixed(0),'µs',JSON.stringify(r).length,q.slice(0,100));};
t(`select * from users order by id limit 101`);
t(`select id,uuid,ref,username,email,first_name,middle_name,last_name,display_name,avatar_url,company,job_title,timezone,language,date_format,time_format,gender,phone,mobile_no,birth_date,signature_image,user_type,metadata,password_hash is not null as has_pw,password_expired,is_active,is_staff,is_superuser,is_service_account,service_org_id,oauth_provider,oauth_id,is_onboarded,tfa_enabled,role_id,last_login_at,last_active_at,created_at,updated_at,created_by,updated_by,version from users order by id limit 101`);
t(`select id,display_name,email,timezone,date_format,time_format,tfa_enabled,is_active,is_service_account,is_superuser,service_org_id,role_id,created_at,created_by,updated_at,updated_by from users order by id limit 101`);
t(`select id from users order by id limit 101`);
console.log(db.prepare('select count(*) n, sum(password_hash is not null) pw, avg(length(password_hash)) l from users').get());
