import D from 'better-sqlite3';
const db = new D(process.argv[2]);
const ids=[...Array(100)].map((_,i)=>i+1);
const t=(q,...a)=>{const s=db.prepare(q);for(let i=0;i<50;i++)s.all(...a);const t0=performance.now();let r;for(let i=0;i<500;i++)r=s.all(...a);console.log(((performance.now()-t0)/500*1000).toFixed(0),'µs',r.length,q.slice(0,100));};
t(`select ug.user_id, g.id, g.name, g.created_at from user_groups ug join groups g on g.id = ug.group_id where ug.user_id in (${ids.map(()=>'?').join(',')}) order by ug.user_id, g.id`, ...ids);
t(`select ug.user_id, g.id, g.name, g.created_at from user_groups ug join groups g on g.id = ug.group_id where ug.user_id in (select value from json_each(?)) order by ug.user_id, g.id`, JSON.stringify(ids));
t(`select ug.user_id, g.id, g.name, g.created_at from user_groups ug join groups g on g.id = ug.group_id where ug.user_id between ? and ? order by ug.user_id, g.id`, 1, 100);
console.log(db.prepare('select count(*) from user_groups').get());
