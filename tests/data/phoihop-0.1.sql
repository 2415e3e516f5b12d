-- A database made by phoihop 0.1 (commit fef2e3c): the demo, two accounts, a token,
-- a second cycle with an attachment and a late sweep. Kept as SQL text so the
-- migration tests start from a real 0.1 schema with data in every table.
BEGIN TRANSACTION;
CREATE TABLE apitoken (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	last_used_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES user (id)
);
INSERT INTO "apitoken" VALUES(1,1,'script','3d27785c71d72665b8c981c5b857e1e2a129ddc1788b7b694e7356aa61f828f0','2024-07-22 03:05:00.000000',NULL,NULL);
CREATE TABLE attachment (
	id INTEGER NOT NULL, 
	submission_id INTEGER NOT NULL, 
	filename VARCHAR NOT NULL, 
	content_type VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	data BLOB NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(submission_id) REFERENCES submission (id)
);
INSERT INTO "attachment" VALUES(1,8,'phu-luc.pdf','application/pdf',26,'5fcb2dabbe3d0ed3c4e31ce61ccae2d3dd9f910845d181c1bca74bb1c42edf8d',X'42E1BAA36E672073E1BB91206C69E1BB8775000162696E617279');
CREATE TABLE auditrecord (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR NOT NULL, 
	action VARCHAR(48) NOT NULL, 
	cycle_id INTEGER, 
	task_id INTEGER, 
	detail JSON NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "auditrecord" VALUES(1,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "TU-BT"}');
INSERT INTO "auditrecord" VALUES(2,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "BTGTU"}');
INSERT INTO "auditrecord" VALUES(3,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "BTGDVTU"}');
INSERT INTO "auditrecord" VALUES(4,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "HDND"}');
INSERT INTO "auditrecord" VALUES(5,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "UBND"}');
INSERT INTO "auditrecord" VALUES(6,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "VKSND"}');
INSERT INTO "auditrecord" VALUES(7,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "TAND"}');
INSERT INTO "auditrecord" VALUES(8,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "SO-TTTT"}');
INSERT INTO "auditrecord" VALUES(9,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "SO-TP"}');
INSERT INTO "auditrecord" VALUES(10,'2024-07-03 01:00:00.000000','root','body.created',NULL,NULL,'{"code": "SO-VHTTDL"}');
INSERT INTO "auditrecord" VALUES(11,'2024-07-03 01:05:00.000000','root','program.created',NULL,NULL,'{"code": "QD238"}');
INSERT INTO "auditrecord" VALUES(12,'2024-07-03 01:10:00.000000','BTGTU','cycle.opened',1,NULL,'{"program": "QD238", "period": "2024-H1", "letter_no": "310-CV/BTGTU", "letter_date": "2024-07-03", "provide_due": "2024-07-12", "tasks": 7}');
INSERT INTO "auditrecord" VALUES(13,'2024-07-08 03:00:00.000000','HDND','task.submitted',1,1,'{"body": "HDND", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(14,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,2,'{"body": "UBND", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(15,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,3,'{"body": "VKSND", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(16,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,4,'{"body": "TAND", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(17,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,5,'{"body": "SO-TTTT", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(18,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,6,'{"body": "SO-TP", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(19,'2024-07-10 01:00:00.000000','sweep','task.reminded',1,7,'{"body": "SO-VHTTDL", "step": "reminder-2", "level": 0, "epoch": 0, "recipients": ["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(20,'2024-07-10 07:00:00.000000','SO-TTTT','task.submitted',1,5,'{"body": "SO-TTTT", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(21,'2024-07-11 02:00:00.000000','UBND','task.submitted',1,2,'{"body": "UBND", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(22,'2024-07-11 08:00:00.000000','BTGTU','task.extended',1,6,'{"body": "SO-TP", "reason": "Ch\u1edd t\u1ed5ng h\u1ee3p s\u1ed1 li\u1ec7u t\u1eeb c\u00e1c huy\u1ec7n", "old_due": "2024-07-12", "new_due": "2024-07-17"}');
INSERT INTO "auditrecord" VALUES(23,'2024-07-12 09:30:00.000000','VKSND','task.submitted',1,3,'{"body": "VKSND", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(24,'2024-07-13 01:00:00.000000','sweep','task.escalated',1,4,'{"body": "TAND", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(25,'2024-07-13 01:00:00.000000','sweep','task.escalated',1,7,'{"body": "SO-VHTTDL", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(26,'2024-07-15 01:00:00.000000','sweep','task.reminded',1,6,'{"body": "SO-TP", "step": "reminder-2", "level": 0, "epoch": 1, "recipients": ["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"], "due_date": "2024-07-17"}');
INSERT INTO "auditrecord" VALUES(27,'2024-07-15 02:00:00.000000','BTGTU','task.accepted',1,1,'{"body": "HDND", "version": 1}');
INSERT INTO "auditrecord" VALUES(28,'2024-07-15 02:05:00.000000','BTGTU','task.accepted',1,2,'{"body": "UBND", "version": 1}');
INSERT INTO "auditrecord" VALUES(29,'2024-07-15 02:10:00.000000','BTGTU','task.accepted',1,5,'{"body": "SO-TTTT", "version": 1}');
INSERT INTO "auditrecord" VALUES(30,'2024-07-15 02:20:00.000000','BTGTU','task.returned',1,3,'{"body": "VKSND", "version": 1, "comment": "\u0110\u1ec1 ngh\u1ecb b\u1ed5 sung s\u1ed1 li\u1ec7u c\u1ee5 th\u1ec3 v\u1ec1 c\u00e1c v\u1ee5 \u00e1n v\u00e0 ho\u1ea1t \u0111\u1ed9ng ph\u1ed1i h\u1ee3p tuy\u00ean truy\u1ec1n", "old_due": "2024-07-12", "new_due": "2024-07-19"}');
INSERT INTO "auditrecord" VALUES(31,'2024-07-16 03:00:00.000000','TAND','task.submitted',1,4,'{"body": "TAND", "version": 1, "on_time": false, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(32,'2024-07-17 01:00:00.000000','sweep','task.escalated',1,7,'{"body": "SO-VHTTDL", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(33,'2024-07-17 01:00:00.000000','sweep','task.reminded',1,3,'{"body": "VKSND", "step": "reminder-2", "level": 0, "epoch": 1, "recipients": ["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"], "due_date": "2024-07-19"}');
INSERT INTO "auditrecord" VALUES(34,'2024-07-17 04:00:00.000000','SO-TP','task.submitted',1,6,'{"body": "SO-TP", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(35,'2024-07-18 02:00:00.000000','VKSND','task.submitted',1,3,'{"body": "VKSND", "version": 2, "on_time": true, "previous_status": "returned"}');
INSERT INTO "auditrecord" VALUES(36,'2024-07-19 03:00:00.000000','BTGTU','task.accepted',1,4,'{"body": "TAND", "version": 1}');
INSERT INTO "auditrecord" VALUES(37,'2024-07-19 03:05:00.000000','BTGTU','task.accepted',1,6,'{"body": "SO-TP", "version": 1}');
INSERT INTO "auditrecord" VALUES(38,'2024-07-19 03:10:00.000000','BTGTU','task.accepted',1,3,'{"body": "VKSND", "version": 2}');
INSERT INTO "auditrecord" VALUES(39,'2024-07-20 01:00:00.000000','sweep','task.escalated',1,7,'{"body": "SO-VHTTDL", "step": "level-3", "level": 3, "epoch": 0, "recipients": ["Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>", "Th\u01b0\u1eddng tr\u1ef1c T\u1ec9nh \u1ee7y B\u1ebfn Tre <thuongtruc@tinhuy.bentre.example>"], "due_date": "2024-07-12"}');
INSERT INTO "auditrecord" VALUES(40,'2024-07-22 02:00:00.000000','BTGTU','cycle.synthesized',1,NULL,'{"counts": {"on_time": 4, "late": 1, "after_revision": 1, "missing": 1}}');
INSERT INTO "auditrecord" VALUES(41,'2024-07-22 03:00:00.000000','root','user.created',NULL,NULL,'{"username": "khoa", "body": "BTGTU", "role": "coordinator"}');
INSERT INTO "auditrecord" VALUES(42,'2024-07-22 03:05:00.000000','root','token.issued',NULL,NULL,'{"username": "khoa", "token_id": 1, "name": "script"}');
INSERT INTO "auditrecord" VALUES(43,'2024-07-22 03:06:00.000000','root','user.created',NULL,NULL,'{"username": "ubnd", "body": "UBND", "role": "agency"}');
INSERT INTO "auditrecord" VALUES(44,'2024-07-22 17:00:00.000000','root','user.disabled',NULL,NULL,'{"username": "ubnd"}');
INSERT INTO "auditrecord" VALUES(45,'2025-01-06 01:00:00.000000','BTGTU','cycle.opened',2,NULL,'{"program": "QD238", "period": "2024-H2", "letter_no": "512-CV/BTGTU", "letter_date": "2025-01-06", "provide_due": "2025-01-15", "tasks": 7}');
INSERT INTO "auditrecord" VALUES(46,'2025-01-08 02:00:00.000000','root','task.submitted',2,8,'{"body": "HDND", "version": 1, "on_time": true, "previous_status": "pending"}');
INSERT INTO "auditrecord" VALUES(47,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,9,'{"body": "UBND", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(48,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,9,'{"body": "UBND", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>", "Tr\u1ea7n Ng\u1ecdc Tam <chutich@ubnd.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(49,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,10,'{"body": "VKSND", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(50,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,10,'{"body": "VKSND", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>", "V\u00f5 V\u0103n D\u0169ng <vientruong@vks.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(51,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,11,'{"body": "TAND", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(52,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,11,'{"body": "TAND", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>", "Nguy\u1ec5n Th\u1ecb Ng\u1ecdc Di\u1ec7p <chanhan@toaan.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(53,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,12,'{"body": "SO-TTTT", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(54,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,12,'{"body": "SO-TTTT", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>", "\u0110\u1eb7ng V\u0103n C\u01b0\u1eddng <giamdoc@stttt.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(55,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,13,'{"body": "SO-TP", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(56,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,13,'{"body": "SO-TP", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>", "L\u00ea Ho\u00e0ng Ph\u00fac <giamdoc@stp.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(57,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,14,'{"body": "SO-VHTTDL", "step": "level-1", "level": 1, "epoch": 0, "recipients": ["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"], "due_date": "2025-01-15"}');
INSERT INTO "auditrecord" VALUES(58,'2025-01-20 01:00:00.000000','sweep','task.escalated',2,14,'{"body": "SO-VHTTDL", "step": "level-2", "level": 2, "epoch": 0, "recipients": ["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"], "due_date": "2025-01-15"}');
CREATE TABLE body (
	id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	name VARCHAR NOT NULL, 
	level VARCHAR(16) NOT NULL, 
	parent_code VARCHAR(64), 
	head_name VARCHAR, 
	head_title VARCHAR, 
	head_email VARCHAR, 
	focal_name VARCHAR, 
	focal_email VARCHAR, 
	valid_from DATE, 
	valid_to DATE, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "body" VALUES(1,'TU-BT','Tỉnh ủy Bến Tre','province',NULL,'Nguyễn Văn Thành','Bí thư Tỉnh ủy','thuongtruc@tinhuy.bentre.example','Văn phòng Tỉnh ủy','vanphong@tinhuy.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(2,'BTGTU','Ban Tuyên giáo Tỉnh ủy Bến Tre','province','TU-BT','Trần Thị Thu Hà','Trưởng ban','truongban@btgtu.bentre.example','Lê Minh Khoa','khoa.lm@btgtu.bentre.example','2020-10-01','2025-02-28','2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(3,'BTGDVTU','Ban Tuyên giáo và Dân vận Tỉnh ủy Bến Tre','province','TU-BT','Trần Thị Thu Hà','Trưởng ban','truongban@btgdv.bentre.example','Lê Minh Khoa','khoa.lm@btgdv.bentre.example','2025-03-01',NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(4,'HDND','Thường trực Hội đồng nhân dân tỉnh','province',NULL,'Hồ Thị Hoàng Yến','Chủ tịch HĐND tỉnh','chutich@hdnd.bentre.example','Phạm Quốc Bảo','bao.pq@hdnd.bentre.example','2021-06-01',NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(5,'UBND','Ủy ban nhân dân tỉnh','province',NULL,'Trần Ngọc Tam','Chủ tịch UBND tỉnh','chutich@ubnd.bentre.example','Đoàn Thị Ngọc Ánh','anh.dtn@ubnd.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(6,'VKSND','Viện Kiểm sát nhân dân tỉnh','province',NULL,'Võ Văn Dũng','Viện trưởng','vientruong@vks.bentre.example','Huỳnh Thanh Tâm','tam.ht@vks.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(7,'TAND','Tòa án nhân dân tỉnh','province',NULL,'Nguyễn Thị Ngọc Diệp','Chánh án','chanhan@toaan.bentre.example','Lâm Quang Vinh','vinh.lq@toaan.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(8,'SO-TTTT','Sở Thông tin và Truyền thông','province','UBND','Đặng Văn Cường','Giám đốc Sở','giamdoc@stttt.bentre.example','Trương Mỹ Duyên','duyen.tm@stttt.bentre.example',NULL,'2025-02-28','2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(9,'SO-TP','Sở Tư pháp','province','UBND','Lê Hoàng Phúc','Giám đốc Sở','giamdoc@stp.bentre.example','Ngô Thị Kim Oanh','oanh.ntk@stp.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
INSERT INTO "body" VALUES(10,'SO-VHTTDL','Sở Văn hóa, Thể thao và Du lịch','province','UBND','Phan Thanh Tùng','Giám đốc Sở','giamdoc@svhttdl.bentre.example','Châu Ngọc Hân','han.cn@svhttdl.bentre.example',NULL,NULL,'2024-07-03 01:00:00.000000');
CREATE TABLE cycle (
	id INTEGER NOT NULL, 
	program_id INTEGER NOT NULL, 
	period VARCHAR(16) NOT NULL, 
	period_label VARCHAR NOT NULL, 
	cutoff_start DATE NOT NULL, 
	cutoff_end DATE NOT NULL, 
	letter_no VARCHAR, 
	letter_date DATE NOT NULL, 
	opened_at DATETIME NOT NULL, 
	provide_due DATE NOT NULL, 
	review_due DATE NOT NULL, 
	synthesis_due DATE NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	synthesized_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_cycle_program_period UNIQUE (program_id, period), 
	FOREIGN KEY(program_id) REFERENCES program (id)
);
INSERT INTO "cycle" VALUES(1,1,'2024-H1','6 tháng đầu năm 2024','2023-12-15','2024-06-14','310-CV/BTGTU','2024-07-03','2024-07-03 01:10:00.000000','2024-07-12','2024-07-17','2024-07-19','synthesized','2024-07-22 02:00:00.000000');
INSERT INTO "cycle" VALUES(2,1,'2024-H2','6 tháng cuối năm 2024','2024-06-15','2024-12-14','512-CV/BTGTU','2025-01-06','2025-01-06 01:00:00.000000','2025-01-15','2025-01-20','2025-01-22','open',NULL);
CREATE TABLE escalation (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	epoch INTEGER NOT NULL, 
	step VARCHAR(32) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	level INTEGER NOT NULL, 
	due_at DATETIME NOT NULL, 
	fired_at DATETIME NOT NULL, 
	recipients JSON NOT NULL, 
	message VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_escalation_step UNIQUE (task_id, epoch, step), 
	FOREIGN KEY(task_id) REFERENCES task (id)
);
INSERT INTO "escalation" VALUES(1,2,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"]','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(2,3,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(3,4,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(4,5,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"]','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(5,6,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Kính gửi: Sở Tư pháp.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(6,7,0,'reminder-2','reminder',0,'2024-07-12 16:59:59.000000','2024-07-10 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.');
INSERT INTO "escalation" VALUES(7,4,0,'level-1','escalation',1,'2024-07-12 16:59:59.000000','2024-07-13 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 1 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(8,7,0,'level-1','escalation',1,'2024-07-12 16:59:59.000000','2024-07-13 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 1 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(9,6,1,'reminder-2','reminder',0,'2024-07-17 16:59:59.000000','2024-07-15 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Kính gửi: Sở Tư pháp.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 17/07/2024.');
INSERT INTO "escalation" VALUES(10,7,0,'level-2','escalation',2,'2024-07-12 16:59:59.000000','2024-07-17 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(11,3,1,'reminder-2','reminder',0,'2024-07-19 16:59:59.000000','2024-07-17 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 19/07/2024.');
INSERT INTO "escalation" VALUES(12,7,0,'level-3','escalation',3,'2024-07-12 16:59:59.000000','2024-07-20 01:00:00.000000','["Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>", "Th\u01b0\u1eddng tr\u1ef1c T\u1ec9nh \u1ee7y B\u1ebfn Tre <thuongtruc@tinhuy.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 8 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(13,9,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"]','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(14,9,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>", "Tr\u1ea7n Ng\u1ecdc Tam <chutich@ubnd.bentre.example>"]','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(15,10,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(16,10,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>", "V\u00f5 V\u0103n D\u0169ng <vientruong@vks.bentre.example>"]','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(17,11,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(18,11,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>", "Nguy\u1ec5n Th\u1ecb Ng\u1ecdc Di\u1ec7p <chanhan@toaan.bentre.example>"]','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(19,12,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"]','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(20,12,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>", "\u0110\u1eb7ng V\u0103n C\u01b0\u1eddng <giamdoc@stttt.bentre.example>"]','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(21,13,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Kính gửi: Sở Tư pháp.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(22,13,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>", "L\u00ea Ho\u00e0ng Ph\u00fac <giamdoc@stp.bentre.example>"]','Kính gửi: Sở Tư pháp.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(23,14,0,'level-1','escalation',1,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
INSERT INTO "escalation" VALUES(24,14,0,'level-2','escalation',2,'2025-01-15 16:59:59.000000','2025-01-20 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"]','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.');
CREATE TABLE extension (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	old_due_date DATE NOT NULL, 
	new_due_date DATE NOT NULL, 
	reason VARCHAR NOT NULL, 
	granted_at DATETIME NOT NULL, 
	granted_by VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id)
);
INSERT INTO "extension" VALUES(1,6,'2024-07-12','2024-07-17','Chờ tổng hợp số liệu từ các huyện','2024-07-11 08:00:00.000000','BTGTU');
CREATE TABLE notification (
	id INTEGER NOT NULL, 
	escalation_id INTEGER, 
	created_at DATETIME NOT NULL, 
	recipients JSON NOT NULL, 
	subject VARCHAR NOT NULL, 
	body VARCHAR NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	claimed_at DATETIME, 
	sent_at DATETIME, 
	error VARCHAR, 
	PRIMARY KEY (id), 
	UNIQUE (escalation_id), 
	FOREIGN KEY(escalation_id) REFERENCES escalation (id)
);
INSERT INTO "notification" VALUES(1,1,'2024-07-10 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(2,2,'2024-07-10 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(3,3,'2024-07-10 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(4,4,'2024-07-10 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(5,5,'2024-07-10 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Tư pháp.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(6,6,'2024-07-10 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 12/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(7,7,'2024-07-13 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 1 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(8,8,'2024-07-13 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 1 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(9,9,'2024-07-15 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Tư pháp.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 17/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(10,10,'2024-07-17 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(11,11,'2024-07-17 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Nhắc hạn gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, đề nghị quý cơ quan gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) trước 24 giờ ngày 19/07/2024.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(12,12,'2024-07-20 01:00:00.000000','["Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>", "Th\u01b0\u1eddng tr\u1ef1c T\u1ec9nh \u1ee7y B\u1ebfn Tre <thuongtruc@tinhuy.bentre.example>"]','Đôn đốc (lần 3) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng đầu năm 2024) là ngày 12/07/2024. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 8 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(13,13,'2025-01-20 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(14,14,'2025-01-20 01:00:00.000000','["\u0110o\u00e0n Th\u1ecb Ng\u1ecdc \u00c1nh <anh.dtn@ubnd.bentre.example>", "Tr\u1ea7n Ng\u1ecdc Tam <chutich@ubnd.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Ủy ban nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(15,15,'2025-01-20 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(16,16,'2025-01-20 01:00:00.000000','["Hu\u1ef3nh Thanh T\u00e2m <tam.ht@vks.bentre.example>", "V\u00f5 V\u0103n D\u0169ng <vientruong@vks.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Viện Kiểm sát nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(17,17,'2025-01-20 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(18,18,'2025-01-20 01:00:00.000000','["L\u00e2m Quang Vinh <vinh.lq@toaan.bentre.example>", "Nguy\u1ec5n Th\u1ecb Ng\u1ecdc Di\u1ec7p <chanhan@toaan.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Tòa án nhân dân tỉnh.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(19,19,'2025-01-20 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(20,20,'2025-01-20 01:00:00.000000','["Tr\u01b0\u01a1ng M\u1ef9 Duy\u00ean <duyen.tm@stttt.bentre.example>", "\u0110\u1eb7ng V\u0103n C\u01b0\u1eddng <giamdoc@stttt.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Thông tin và Truyền thông.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(21,21,'2025-01-20 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Tư pháp.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(22,22,'2025-01-20 01:00:00.000000','["Ng\u00f4 Th\u1ecb Kim Oanh <oanh.ntk@stp.bentre.example>", "L\u00ea Ho\u00e0ng Ph\u00fac <giamdoc@stp.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Tư pháp.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(23,23,'2025-01-20 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>"]','Đôn đốc (lần 1) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
INSERT INTO "notification" VALUES(24,24,'2025-01-20 01:00:00.000000','["Ch\u00e2u Ng\u1ecdc H\u00e2n <han.cn@svhttdl.bentre.example>", "Phan Thanh T\u00f9ng <giamdoc@svhttdl.bentre.example>"]','Đôn đốc (lần 2) gửi báo cáo: Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024)','Kính gửi: Sở Văn hóa, Thể thao và Du lịch.

Theo Công văn số 512-CV/BTGTU ngày 06/01/2025 của Ban Tuyên giáo Tỉnh ủy Bến Tre, hạn gửi báo cáo Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW (6 tháng cuối năm 2024) là ngày 15/01/2025. Đến nay quý cơ quan chưa gửi báo cáo (quá hạn 5 ngày). Đề nghị khẩn trương hoàn thành và gửi về Ban Tuyên giáo Tỉnh ủy Bến Tre.','pending',0,NULL,NULL,NULL);
CREATE TABLE program (
	id INTEGER NOT NULL, 
	code VARCHAR(64) NOT NULL, 
	title VARCHAR NOT NULL, 
	legal_basis VARCHAR, 
	coordinator_id INTEGER NOT NULL, 
	period_kind VARCHAR(16) NOT NULL, 
	schedule VARCHAR, 
	cutoff_start_day INTEGER NOT NULL, 
	provide_working_days INTEGER NOT NULL, 
	review_working_days INTEGER NOT NULL, 
	synthesis_working_days INTEGER NOT NULL, 
	leadership_name VARCHAR, 
	leadership_email VARCHAR, 
	outline JSON NOT NULL, 
	escalation JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(coordinator_id) REFERENCES body (id)
);
INSERT INTO "program" VALUES(1,'QD238','Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW','Quyết định số 238-QĐ/TW ngày 30/9/2020 của Ban Bí thư',2,'half','FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=3;BYHOUR=8;BYMINUTE=0;BYSECOND=0',15,7,3,2,'Thường trực Tỉnh ủy Bến Tre','thuongtruc@tinhuy.bentre.example','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "required": true}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "required": true}, {"code": "III", "title": "\u0110\u1ec1 xu\u1ea5t, ki\u1ebfn ngh\u1ecb", "required": false}]','{"reminders": [2], "ladder": [{"after_working_days": 0, "notify": ["focal"]}, {"after_working_days": 2, "notify": ["focal", "head"]}, {"after_working_days": 5, "notify": ["head", "coordinator_leadership"]}]}','2024-07-03 01:05:00.000000');
CREATE TABLE programbody (
	id INTEGER NOT NULL, 
	program_id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (program_id, body_id), 
	FOREIGN KEY(program_id) REFERENCES program (id), 
	FOREIGN KEY(body_id) REFERENCES body (id)
);
INSERT INTO "programbody" VALUES(1,1,4,0);
INSERT INTO "programbody" VALUES(2,1,5,1);
INSERT INTO "programbody" VALUES(3,1,6,2);
INSERT INTO "programbody" VALUES(4,1,7,3);
INSERT INTO "programbody" VALUES(5,1,8,4);
INSERT INTO "programbody" VALUES(6,1,9,5);
INSERT INTO "programbody" VALUES(7,1,10,6);
CREATE TABLE review (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	submission_id INTEGER NOT NULL, 
	decision VARCHAR(16) NOT NULL, 
	comment VARCHAR, 
	new_due_date DATE, 
	reviewed_at DATETIME NOT NULL, 
	reviewer VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id), 
	UNIQUE (submission_id), 
	FOREIGN KEY(submission_id) REFERENCES submission (id)
);
INSERT INTO "review" VALUES(1,1,1,'accepted',NULL,NULL,'2024-07-15 02:00:00.000000','BTGTU');
INSERT INTO "review" VALUES(2,2,3,'accepted',NULL,NULL,'2024-07-15 02:05:00.000000','BTGTU');
INSERT INTO "review" VALUES(3,5,2,'accepted',NULL,NULL,'2024-07-15 02:10:00.000000','BTGTU');
INSERT INTO "review" VALUES(4,3,4,'returned','Đề nghị bổ sung số liệu cụ thể về các vụ án và hoạt động phối hợp tuyên truyền','2024-07-19','2024-07-15 02:20:00.000000','BTGTU');
INSERT INTO "review" VALUES(5,4,5,'accepted',NULL,NULL,'2024-07-19 03:00:00.000000','BTGTU');
INSERT INTO "review" VALUES(6,6,6,'accepted',NULL,NULL,'2024-07-19 03:05:00.000000','BTGTU');
INSERT INTO "review" VALUES(7,3,7,'accepted',NULL,NULL,'2024-07-19 03:10:00.000000','BTGTU');
CREATE TABLE submission (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	submitted_at DATETIME NOT NULL, 
	submitted_by VARCHAR NOT NULL, 
	due_at DATETIME NOT NULL, 
	on_time BOOLEAN NOT NULL, 
	content VARCHAR NOT NULL, 
	sections JSON NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_submission_version UNIQUE (task_id, version), 
	FOREIGN KEY(task_id) REFERENCES task (id)
);
INSERT INTO "submission" VALUES(1,1,1,'2024-07-08 03:00:00.000000','HDND','2024-07-12 16:59:59.000000',1,'# BÁO CÁO kết quả thực hiện chương trình phối hợp theo Quyết định số 238-QĐ/TW

Theo đề nghị của Ban Tuyên giáo Tỉnh ủy tại Công văn số 310-CV/BTGTU ngày 03 tháng 7 năm 2024, Thường trực HĐND tỉnh báo cáo như sau:

## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung, cung cấp thông tin các hoạt động chuyên ngành gửi Ban Tuyên giáo Tỉnh ủy để chỉ đạo, định hướng tuyên truyền; mời đại diện Ban Tuyên giáo Tỉnh ủy tham dự các kỳ họp HĐND tỉnh.

- Tuyên truyền sâu rộng về các kỳ họp, các phiên chất vấn và giải trình, kết quả giám sát của Thường trực và các Ban của HĐND tỉnh.
- Phối hợp đấu tranh, phản bác các thông tin sai sự thật về các chương trình, dự án phát triển kinh tế - xã hội.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục quán triệt, thực hiện nghiêm túc Quyết định 238; kịp thời cung cấp thông tin về kỳ họp cuối năm 2024.

## III. Đề xuất, kiến nghị

Đề nghị Ban Tuyên giáo Tỉnh ủy tổ chức hội nghị giao ban định kỳ giữa các cơ quan phối hợp.
','[{"code": "", "title": "", "text": "# B\u00c1O C\u00c1O k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n ch\u01b0\u01a1ng tr\u00ecnh ph\u1ed1i h\u1ee3p theo Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238-Q\u0110/TW\n\nTheo \u0111\u1ec1 ngh\u1ecb c\u1ee7a Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y t\u1ea1i C\u00f4ng v\u0103n s\u1ed1 310-CV/BTGTU ng\u00e0y 03 th\u00e1ng 7 n\u0103m 2024, Th\u01b0\u1eddng tr\u1ef1c H\u0110ND t\u1ec9nh b\u00e1o c\u00e1o nh\u01b0 sau:"}, {"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "Th\u01b0\u1eddng tr\u1ef1c H\u0110ND t\u1ec9nh \u0111\u00e3 ch\u1ee7 \u0111\u1ed9ng, k\u1ecbp th\u1eddi \u0111\u1ec1 xu\u1ea5t n\u1ed9i dung, cung c\u1ea5p th\u00f4ng tin c\u00e1c ho\u1ea1t \u0111\u1ed9ng chuy\u00ean ng\u00e0nh g\u1eedi Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y \u0111\u1ec3 ch\u1ec9 \u0111\u1ea1o, \u0111\u1ecbnh h\u01b0\u1edbng tuy\u00ean truy\u1ec1n; m\u1eddi \u0111\u1ea1i di\u1ec7n Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y tham d\u1ef1 c\u00e1c k\u1ef3 h\u1ecdp H\u0110ND t\u1ec9nh.\n\n- Tuy\u00ean truy\u1ec1n s\u00e2u r\u1ed9ng v\u1ec1 c\u00e1c k\u1ef3 h\u1ecdp, c\u00e1c phi\u00ean ch\u1ea5t v\u1ea5n v\u00e0 gi\u1ea3i tr\u00ecnh, k\u1ebft qu\u1ea3 gi\u00e1m s\u00e1t c\u1ee7a Th\u01b0\u1eddng tr\u1ef1c v\u00e0 c\u00e1c Ban c\u1ee7a H\u0110ND t\u1ec9nh.\n- Ph\u1ed1i h\u1ee3p \u0111\u1ea5u tranh, ph\u1ea3n b\u00e1c c\u00e1c th\u00f4ng tin sai s\u1ef1 th\u1eadt v\u1ec1 c\u00e1c ch\u01b0\u01a1ng tr\u00ecnh, d\u1ef1 \u00e1n ph\u00e1t tri\u1ec3n kinh t\u1ebf - x\u00e3 h\u1ed9i."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Ti\u1ebfp t\u1ee5c qu\u00e1n tri\u1ec7t, th\u1ef1c hi\u1ec7n nghi\u00eam t\u00fac Quy\u1ebft \u0111\u1ecbnh 238; k\u1ecbp th\u1eddi cung c\u1ea5p th\u00f4ng tin v\u1ec1 k\u1ef3 h\u1ecdp cu\u1ed1i n\u0103m 2024."}, {"code": "III", "title": "\u0110\u1ec1 xu\u1ea5t, ki\u1ebfn ngh\u1ecb", "text": "\u0110\u1ec1 ngh\u1ecb Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y t\u1ed5 ch\u1ee9c h\u1ed9i ngh\u1ecb giao ban \u0111\u1ecbnh k\u1ef3 gi\u1eefa c\u00e1c c\u01a1 quan ph\u1ed1i h\u1ee3p."}]','4357af40d80047bc4197d1dc2abc75b68f14cfd829e69e18ba5aafe86351ab2d');
INSERT INTO "submission" VALUES(2,5,1,'2024-07-10 07:00:00.000000','SO-TTTT','2024-07-12 16:59:59.000000',1,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Sở Thông tin và Truyền thông đã hướng dẫn các cơ quan báo chí tuyên truyền theo định hướng của Ban Tuyên giáo Tỉnh ủy; phát hiện và đề nghị gỡ bỏ 45 tin, bài sai sự thật trên mạng xã hội.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục theo dõi, xử lý thông tin xấu độc; tổ chức giao ban báo chí hằng tháng.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "S\u1edf Th\u00f4ng tin v\u00e0 Truy\u1ec1n th\u00f4ng \u0111\u00e3 h\u01b0\u1edbng d\u1eabn c\u00e1c c\u01a1 quan b\u00e1o ch\u00ed tuy\u00ean truy\u1ec1n theo \u0111\u1ecbnh h\u01b0\u1edbng c\u1ee7a Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y; ph\u00e1t hi\u1ec7n v\u00e0 \u0111\u1ec1 ngh\u1ecb g\u1ee1 b\u1ecf 45 tin, b\u00e0i sai s\u1ef1 th\u1eadt tr\u00ean m\u1ea1ng x\u00e3 h\u1ed9i."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Ti\u1ebfp t\u1ee5c theo d\u00f5i, x\u1eed l\u00fd th\u00f4ng tin x\u1ea5u \u0111\u1ed9c; t\u1ed5 ch\u1ee9c giao ban b\u00e1o ch\u00ed h\u1eb1ng th\u00e1ng."}]','e6edc9469e1c1db9375604329bd71fd58696c9c5047c8e4085687351eca09c00');
INSERT INTO "submission" VALUES(3,2,1,'2024-07-11 02:00:00.000000','UBND','2024-07-12 16:59:59.000000',1,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành cung cấp thông tin kịp thời về các dự án, đề án, chương trình mục tiêu quốc gia giảm nghèo bền vững, xây dựng nông thôn mới; tổ chức 2 cuộc họp báo định kỳ về tình hình kinh tế - xã hội 6 tháng đầu năm 2024.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tập trung thông tin về cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, khắc phục hạn hán và xâm nhập mặn.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "\u1ee6y ban nh\u00e2n d\u00e2n t\u1ec9nh ch\u1ec9 \u0111\u1ea1o c\u00e1c s\u1edf, ng\u00e0nh cung c\u1ea5p th\u00f4ng tin k\u1ecbp th\u1eddi v\u1ec1 c\u00e1c d\u1ef1 \u00e1n, \u0111\u1ec1 \u00e1n, ch\u01b0\u01a1ng tr\u00ecnh m\u1ee5c ti\u00eau qu\u1ed1c gia gi\u1ea3m ngh\u00e8o b\u1ec1n v\u1eefng, x\u00e2y d\u1ef1ng n\u00f4ng th\u00f4n m\u1edbi; t\u1ed5 ch\u1ee9c 2 cu\u1ed9c h\u1ecdp b\u00e1o \u0111\u1ecbnh k\u1ef3 v\u1ec1 t\u00ecnh h\u00ecnh kinh t\u1ebf - x\u00e3 h\u1ed9i 6 th\u00e1ng \u0111\u1ea7u n\u0103m 2024."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "T\u1eadp trung th\u00f4ng tin v\u1ec1 c\u1ea3i c\u00e1ch h\u00e0nh ch\u00ednh, c\u1ea3i thi\u1ec7n m\u00f4i tr\u01b0\u1eddng \u0111\u1ea7u t\u01b0 kinh doanh, kh\u1eafc ph\u1ee5c h\u1ea1n h\u00e1n v\u00e0 x\u00e2m nh\u1eadp m\u1eb7n."}]','7c3bc394ac50dcd03a4844ff9fe55b7d490577d553aa6ceca92f940f0fd23063');
INSERT INTO "submission" VALUES(4,3,1,'2024-07-12 09:30:00.000000','VKSND','2024-07-12 16:59:59.000000',1,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Viện Kiểm sát nhân dân tỉnh đã phối hợp cung cấp thông tin.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục phối hợp.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "Vi\u1ec7n Ki\u1ec3m s\u00e1t nh\u00e2n d\u00e2n t\u1ec9nh \u0111\u00e3 ph\u1ed1i h\u1ee3p cung c\u1ea5p th\u00f4ng tin."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Ti\u1ebfp t\u1ee5c ph\u1ed1i h\u1ee3p."}]','77a0238eff24222127d218efb8e57d73c17c95c97f268347867672cc4157931e');
INSERT INTO "submission" VALUES(5,4,1,'2024-07-16 03:00:00.000000','TAND','2024-07-12 16:59:59.000000',0,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Tòa án nhân dân tỉnh đã cung cấp thông tin về các vụ án lớn, phức tạp; phối hợp tổ chức các phiên tòa xét xử lưu động tại địa bàn có tính giáo dục cao.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục công khai bản án, quyết định trên cổng thông tin điện tử; phối hợp tuyên truyền Luật Hòa giải, đối thoại tại Tòa án.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "T\u00f2a \u00e1n nh\u00e2n d\u00e2n t\u1ec9nh \u0111\u00e3 cung c\u1ea5p th\u00f4ng tin v\u1ec1 c\u00e1c v\u1ee5 \u00e1n l\u1edbn, ph\u1ee9c t\u1ea1p; ph\u1ed1i h\u1ee3p t\u1ed5 ch\u1ee9c c\u00e1c phi\u00ean t\u00f2a x\u00e9t x\u1eed l\u01b0u \u0111\u1ed9ng t\u1ea1i \u0111\u1ecba b\u00e0n c\u00f3 t\u00ednh gi\u00e1o d\u1ee5c cao."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Ti\u1ebfp t\u1ee5c c\u00f4ng khai b\u1ea3n \u00e1n, quy\u1ebft \u0111\u1ecbnh tr\u00ean c\u1ed5ng th\u00f4ng tin \u0111i\u1ec7n t\u1eed; ph\u1ed1i h\u1ee3p tuy\u00ean truy\u1ec1n Lu\u1eadt H\u00f2a gi\u1ea3i, \u0111\u1ed1i tho\u1ea1i t\u1ea1i T\u00f2a \u00e1n."}]','ce4d6bd4b861d11f414277e1aff5bdf04b96d32046508982b4c339e9562cd507');
INSERT INTO "submission" VALUES(6,6,1,'2024-07-17 04:00:00.000000','SO-TP','2024-07-17 16:59:59.000000',1,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Sở Tư pháp phối hợp tổ chức 14 hội nghị phổ biến, giáo dục pháp luật; cung cấp tài liệu tuyên truyền các luật mới có hiệu lực năm 2024 (Luật Đất đai, Luật Nhà ở, Luật Kinh doanh bất động sản).

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tuyên truyền Luật Đất đai năm 2024 và các văn bản hướng dẫn thi hành.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "S\u1edf T\u01b0 ph\u00e1p ph\u1ed1i h\u1ee3p t\u1ed5 ch\u1ee9c 14 h\u1ed9i ngh\u1ecb ph\u1ed5 bi\u1ebfn, gi\u00e1o d\u1ee5c ph\u00e1p lu\u1eadt; cung c\u1ea5p t\u00e0i li\u1ec7u tuy\u00ean truy\u1ec1n c\u00e1c lu\u1eadt m\u1edbi c\u00f3 hi\u1ec7u l\u1ef1c n\u0103m 2024 (Lu\u1eadt \u0110\u1ea5t \u0111ai, Lu\u1eadt Nh\u00e0 \u1edf, Lu\u1eadt Kinh doanh b\u1ea5t \u0111\u1ed9ng s\u1ea3n)."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Tuy\u00ean truy\u1ec1n Lu\u1eadt \u0110\u1ea5t \u0111ai n\u0103m 2024 v\u00e0 c\u00e1c v\u0103n b\u1ea3n h\u01b0\u1edbng d\u1eabn thi h\u00e0nh."}]','f6543109c7383c220b3e12ed4452fb9e4933322fff8008f8f52701d713f04b5c');
INSERT INTO "submission" VALUES(7,3,2,'2024-07-18 02:00:00.000000','VKSND','2024-07-19 16:59:59.000000',1,'## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Viện Kiểm sát nhân dân tỉnh đã phối hợp cung cấp thông tin về 12 vụ án hình sự được dư luận quan tâm, kết quả kiểm sát việc giải quyết tin báo, tố giác tội phạm; phối hợp tổ chức 3 phiên tòa rút kinh nghiệm trực tuyến phục vụ tuyên truyền pháp luật.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tăng cường thông tin về công tác phòng, chống tội phạm ma túy và tội phạm công nghệ cao trong 6 tháng cuối năm 2024.

## III. Đề xuất, kiến nghị

Đề nghị xây dựng chuyên mục pháp luật định kỳ trên Báo Đồng Khởi và Đài Phát thanh và Truyền hình tỉnh.
','[{"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "Vi\u1ec7n Ki\u1ec3m s\u00e1t nh\u00e2n d\u00e2n t\u1ec9nh \u0111\u00e3 ph\u1ed1i h\u1ee3p cung c\u1ea5p th\u00f4ng tin v\u1ec1 12 v\u1ee5 \u00e1n h\u00ecnh s\u1ef1 \u0111\u01b0\u1ee3c d\u01b0 lu\u1eadn quan t\u00e2m, k\u1ebft qu\u1ea3 ki\u1ec3m s\u00e1t vi\u1ec7c gi\u1ea3i quy\u1ebft tin b\u00e1o, t\u1ed1 gi\u00e1c t\u1ed9i ph\u1ea1m; ph\u1ed1i h\u1ee3p t\u1ed5 ch\u1ee9c 3 phi\u00ean t\u00f2a r\u00fat kinh nghi\u1ec7m tr\u1ef1c tuy\u1ebfn ph\u1ee5c v\u1ee5 tuy\u00ean truy\u1ec1n ph\u00e1p lu\u1eadt."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "T\u0103ng c\u01b0\u1eddng th\u00f4ng tin v\u1ec1 c\u00f4ng t\u00e1c ph\u00f2ng, ch\u1ed1ng t\u1ed9i ph\u1ea1m ma t\u00fay v\u00e0 t\u1ed9i ph\u1ea1m c\u00f4ng ngh\u1ec7 cao trong 6 th\u00e1ng cu\u1ed1i n\u0103m 2024."}, {"code": "III", "title": "\u0110\u1ec1 xu\u1ea5t, ki\u1ebfn ngh\u1ecb", "text": "\u0110\u1ec1 ngh\u1ecb x\u00e2y d\u1ef1ng chuy\u00ean m\u1ee5c ph\u00e1p lu\u1eadt \u0111\u1ecbnh k\u1ef3 tr\u00ean B\u00e1o \u0110\u1ed3ng Kh\u1edfi v\u00e0 \u0110\u00e0i Ph\u00e1t thanh v\u00e0 Truy\u1ec1n h\u00ecnh t\u1ec9nh."}]','a5a7fc243fc5da4e2bab946261198389aefc6f43453df0963f724c06b27086f7');
INSERT INTO "submission" VALUES(8,8,1,'2025-01-08 02:00:00.000000','root','2025-01-15 16:59:59.000000',1,'# BÁO CÁO kết quả thực hiện chương trình phối hợp theo Quyết định số 238-QĐ/TW

Theo đề nghị của Ban Tuyên giáo Tỉnh ủy tại Công văn số 310-CV/BTGTU ngày 03 tháng 7 năm 2024, Thường trực HĐND tỉnh báo cáo như sau:

## I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung, cung cấp thông tin các hoạt động chuyên ngành gửi Ban Tuyên giáo Tỉnh ủy để chỉ đạo, định hướng tuyên truyền; mời đại diện Ban Tuyên giáo Tỉnh ủy tham dự các kỳ họp HĐND tỉnh.

- Tuyên truyền sâu rộng về các kỳ họp, các phiên chất vấn và giải trình, kết quả giám sát của Thường trực và các Ban của HĐND tỉnh.
- Phối hợp đấu tranh, phản bác các thông tin sai sự thật về các chương trình, dự án phát triển kinh tế - xã hội.

## II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục quán triệt, thực hiện nghiêm túc Quyết định 238; kịp thời cung cấp thông tin về kỳ họp cuối năm 2024.

## III. Đề xuất, kiến nghị

Đề nghị Ban Tuyên giáo Tỉnh ủy tổ chức hội nghị giao ban định kỳ giữa các cơ quan phối hợp.
','[{"code": "", "title": "", "text": "# B\u00c1O C\u00c1O k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n ch\u01b0\u01a1ng tr\u00ecnh ph\u1ed1i h\u1ee3p theo Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238-Q\u0110/TW\n\nTheo \u0111\u1ec1 ngh\u1ecb c\u1ee7a Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y t\u1ea1i C\u00f4ng v\u0103n s\u1ed1 310-CV/BTGTU ng\u00e0y 03 th\u00e1ng 7 n\u0103m 2024, Th\u01b0\u1eddng tr\u1ef1c H\u0110ND t\u1ec9nh b\u00e1o c\u00e1o nh\u01b0 sau:"}, {"code": "I", "title": "\u0110\u00e1nh gi\u00e1 t\u00ecnh h\u00ecnh v\u00e0 k\u1ebft qu\u1ea3 th\u1ef1c hi\u1ec7n Quy\u1ebft \u0111\u1ecbnh s\u1ed1 238", "text": "Th\u01b0\u1eddng tr\u1ef1c H\u0110ND t\u1ec9nh \u0111\u00e3 ch\u1ee7 \u0111\u1ed9ng, k\u1ecbp th\u1eddi \u0111\u1ec1 xu\u1ea5t n\u1ed9i dung, cung c\u1ea5p th\u00f4ng tin c\u00e1c ho\u1ea1t \u0111\u1ed9ng chuy\u00ean ng\u00e0nh g\u1eedi Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y \u0111\u1ec3 ch\u1ec9 \u0111\u1ea1o, \u0111\u1ecbnh h\u01b0\u1edbng tuy\u00ean truy\u1ec1n; m\u1eddi \u0111\u1ea1i di\u1ec7n Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y tham d\u1ef1 c\u00e1c k\u1ef3 h\u1ecdp H\u0110ND t\u1ec9nh.\n\n- Tuy\u00ean truy\u1ec1n s\u00e2u r\u1ed9ng v\u1ec1 c\u00e1c k\u1ef3 h\u1ecdp, c\u00e1c phi\u00ean ch\u1ea5t v\u1ea5n v\u00e0 gi\u1ea3i tr\u00ecnh, k\u1ebft qu\u1ea3 gi\u00e1m s\u00e1t c\u1ee7a Th\u01b0\u1eddng tr\u1ef1c v\u00e0 c\u00e1c Ban c\u1ee7a H\u0110ND t\u1ec9nh.\n- Ph\u1ed1i h\u1ee3p \u0111\u1ea5u tranh, ph\u1ea3n b\u00e1c c\u00e1c th\u00f4ng tin sai s\u1ef1 th\u1eadt v\u1ec1 c\u00e1c ch\u01b0\u01a1ng tr\u00ecnh, d\u1ef1 \u00e1n ph\u00e1t tri\u1ec3n kinh t\u1ebf - x\u00e3 h\u1ed9i."}, {"code": "II", "title": "Nh\u1eefng nhi\u1ec7m v\u1ee5 tr\u1ecdng t\u00e2m trong th\u1eddi gian t\u1edbi", "text": "Ti\u1ebfp t\u1ee5c qu\u00e1n tri\u1ec7t, th\u1ef1c hi\u1ec7n nghi\u00eam t\u00fac Quy\u1ebft \u0111\u1ecbnh 238; k\u1ecbp th\u1eddi cung c\u1ea5p th\u00f4ng tin v\u1ec1 k\u1ef3 h\u1ecdp cu\u1ed1i n\u0103m 2024."}, {"code": "III", "title": "\u0110\u1ec1 xu\u1ea5t, ki\u1ebfn ngh\u1ecb", "text": "\u0110\u1ec1 ngh\u1ecb Ban Tuy\u00ean gi\u00e1o T\u1ec9nh \u1ee7y t\u1ed5 ch\u1ee9c h\u1ed9i ngh\u1ecb giao ban \u0111\u1ecbnh k\u1ef3 gi\u1eefa c\u00e1c c\u01a1 quan ph\u1ed1i h\u1ee3p."}]','4357af40d80047bc4197d1dc2abc75b68f14cfd829e69e18ba5aafe86351ab2d');
CREATE TABLE synthesis (
	id INTEGER NOT NULL, 
	cycle_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	created_by VARCHAR NOT NULL, 
	markdown VARCHAR NOT NULL, 
	summary JSON NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (cycle_id), 
	FOREIGN KEY(cycle_id) REFERENCES cycle (id)
);
INSERT INTO "synthesis" VALUES(1,1,'2024-07-22 02:00:00.000000','BTGTU','**BAN TUYÊN GIÁO TỈNH ỦY BẾN TRE**

*Ngày 22/07/2024*

# BÁO CÁO TỔNG HỢP

**Báo cáo kết quả thực hiện Quy chế phối hợp theo Quyết định số 238-QĐ/TW, 6 tháng đầu năm 2024**

Thực hiện Quyết định số 238-QĐ/TW ngày 30/9/2020 của Ban Bí thư; theo Công văn số 310-CV/BTGTU ngày 03/07/2024 của Ban Tuyên giáo Tỉnh ủy Bến Tre, trên cơ sở báo cáo của các cơ quan, Ban Tuyên giáo Tỉnh ủy Bến Tre tổng hợp kết quả như sau (số liệu tính từ ngày 15/12/2023 đến ngày 14/06/2024).

## Tình hình gửi báo cáo

| STT | Cơ quan | Tình trạng | Ngày gửi lần đầu | Số lần gửi | Số lần trả lại |
|---:|---|---|---|---:|---:|
| 1 | Thường trực Hội đồng nhân dân tỉnh | Đúng hạn | 08/07/2024 | 1 | 0 |
| 2 | Ủy ban nhân dân tỉnh | Đúng hạn | 11/07/2024 | 1 | 0 |
| 3 | Viện Kiểm sát nhân dân tỉnh | Sau bổ sung, hoàn thiện | 12/07/2024 | 2 | 1 |
| 4 | Tòa án nhân dân tỉnh | Trễ hạn | 16/07/2024 | 1 | 0 |
| 5 | Sở Thông tin và Truyền thông | Đúng hạn | 10/07/2024 | 1 | 0 |
| 6 | Sở Tư pháp | Đúng hạn | 17/07/2024 | 1 | 0 |
| 7 | Sở Văn hóa, Thể thao và Du lịch | Chưa gửi | — | 0 | 0 |

Tổng số: đúng hạn: 4; trễ hạn: 1; sau bổ sung, hoàn thiện: 1; chưa gửi: 1 (trên 7 cơ quan).

## 1. Thường trực Hội đồng nhân dân tỉnh

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Thường trực HĐND tỉnh đã chủ động, kịp thời đề xuất nội dung, cung cấp thông tin các hoạt động chuyên ngành gửi Ban Tuyên giáo Tỉnh ủy để chỉ đạo, định hướng tuyên truyền; mời đại diện Ban Tuyên giáo Tỉnh ủy tham dự các kỳ họp HĐND tỉnh.

- Tuyên truyền sâu rộng về các kỳ họp, các phiên chất vấn và giải trình, kết quả giám sát của Thường trực và các Ban của HĐND tỉnh.
- Phối hợp đấu tranh, phản bác các thông tin sai sự thật về các chương trình, dự án phát triển kinh tế - xã hội.

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục quán triệt, thực hiện nghiêm túc Quyết định 238; kịp thời cung cấp thông tin về kỳ họp cuối năm 2024.

### III. Đề xuất, kiến nghị

Đề nghị Ban Tuyên giáo Tỉnh ủy tổ chức hội nghị giao ban định kỳ giữa các cơ quan phối hợp.

## 2. Ủy ban nhân dân tỉnh

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành cung cấp thông tin kịp thời về các dự án, đề án, chương trình mục tiêu quốc gia giảm nghèo bền vững, xây dựng nông thôn mới; tổ chức 2 cuộc họp báo định kỳ về tình hình kinh tế - xã hội 6 tháng đầu năm 2024.

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tập trung thông tin về cải cách hành chính, cải thiện môi trường đầu tư kinh doanh, khắc phục hạn hán và xâm nhập mặn.

## 3. Viện Kiểm sát nhân dân tỉnh

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Viện Kiểm sát nhân dân tỉnh đã phối hợp cung cấp thông tin về 12 vụ án hình sự được dư luận quan tâm, kết quả kiểm sát việc giải quyết tin báo, tố giác tội phạm; phối hợp tổ chức 3 phiên tòa rút kinh nghiệm trực tuyến phục vụ tuyên truyền pháp luật.

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tăng cường thông tin về công tác phòng, chống tội phạm ma túy và tội phạm công nghệ cao trong 6 tháng cuối năm 2024.

### III. Đề xuất, kiến nghị

Đề nghị xây dựng chuyên mục pháp luật định kỳ trên Báo Đồng Khởi và Đài Phát thanh và Truyền hình tỉnh.

## 4. Tòa án nhân dân tỉnh

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Tòa án nhân dân tỉnh đã cung cấp thông tin về các vụ án lớn, phức tạp; phối hợp tổ chức các phiên tòa xét xử lưu động tại địa bàn có tính giáo dục cao.

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục công khai bản án, quyết định trên cổng thông tin điện tử; phối hợp tuyên truyền Luật Hòa giải, đối thoại tại Tòa án.

## 5. Sở Thông tin và Truyền thông

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Sở Thông tin và Truyền thông đã hướng dẫn các cơ quan báo chí tuyên truyền theo định hướng của Ban Tuyên giáo Tỉnh ủy; phát hiện và đề nghị gỡ bỏ 45 tin, bài sai sự thật trên mạng xã hội.

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tiếp tục theo dõi, xử lý thông tin xấu độc; tổ chức giao ban báo chí hằng tháng.

## 6. Sở Tư pháp

### I. Đánh giá tình hình và kết quả thực hiện Quyết định số 238

Sở Tư pháp phối hợp tổ chức 14 hội nghị phổ biến, giáo dục pháp luật; cung cấp tài liệu tuyên truyền các luật mới có hiệu lực năm 2024 (Luật Đất đai, Luật Nhà ở, Luật Kinh doanh bất động sản).

### II. Những nhiệm vụ trọng tâm trong thời gian tới

Tuyên truyền Luật Đất đai năm 2024 và các văn bản hướng dẫn thi hành.

## 7. Sở Văn hóa, Thể thao và Du lịch

*(Chưa gửi; nội dung chưa được tổng hợp.)*
','[{"body": "HDND", "name": "Th\u01b0\u1eddng tr\u1ef1c H\u1ed9i \u0111\u1ed3ng nh\u00e2n d\u00e2n t\u1ec9nh", "category": "on_time", "label": "\u0110\u00fang h\u1ea1n", "versions": 1, "returns": 0, "first_submitted": "2024-07-08"}, {"body": "UBND", "name": "\u1ee6y ban nh\u00e2n d\u00e2n t\u1ec9nh", "category": "on_time", "label": "\u0110\u00fang h\u1ea1n", "versions": 1, "returns": 0, "first_submitted": "2024-07-11"}, {"body": "VKSND", "name": "Vi\u1ec7n Ki\u1ec3m s\u00e1t nh\u00e2n d\u00e2n t\u1ec9nh", "category": "after_revision", "label": "Sau b\u1ed5 sung, ho\u00e0n thi\u1ec7n", "versions": 2, "returns": 1, "first_submitted": "2024-07-12"}, {"body": "TAND", "name": "T\u00f2a \u00e1n nh\u00e2n d\u00e2n t\u1ec9nh", "category": "late", "label": "Tr\u1ec5 h\u1ea1n", "versions": 1, "returns": 0, "first_submitted": "2024-07-16"}, {"body": "SO-TTTT", "name": "S\u1edf Th\u00f4ng tin v\u00e0 Truy\u1ec1n th\u00f4ng", "category": "on_time", "label": "\u0110\u00fang h\u1ea1n", "versions": 1, "returns": 0, "first_submitted": "2024-07-10"}, {"body": "SO-TP", "name": "S\u1edf T\u01b0 ph\u00e1p", "category": "on_time", "label": "\u0110\u00fang h\u1ea1n", "versions": 1, "returns": 0, "first_submitted": "2024-07-17"}, {"body": "SO-VHTTDL", "name": "S\u1edf V\u0103n h\u00f3a, Th\u1ec3 thao v\u00e0 Du l\u1ecbch", "category": "missing", "label": "Ch\u01b0a g\u1eedi", "versions": 0, "returns": 0, "first_submitted": null}]');
CREATE TABLE task (
	id INTEGER NOT NULL, 
	cycle_id INTEGER NOT NULL, 
	body_id INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	due_date DATE NOT NULL, 
	due_at DATETIME NOT NULL, 
	ladder_epoch INTEGER NOT NULL, 
	escalation_level INTEGER NOT NULL, 
	versions INTEGER NOT NULL, 
	returns INTEGER NOT NULL, 
	last_submitted_at DATETIME, 
	last_on_time BOOLEAN, 
	accepted_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_task_cycle_body UNIQUE (cycle_id, body_id), 
	FOREIGN KEY(cycle_id) REFERENCES cycle (id), 
	FOREIGN KEY(body_id) REFERENCES body (id)
);
INSERT INTO "task" VALUES(1,1,4,'accepted','2024-07-12','2024-07-12 16:59:59.000000',0,0,1,0,'2024-07-08 03:00:00.000000',1,'2024-07-15 02:00:00.000000');
INSERT INTO "task" VALUES(2,1,5,'accepted','2024-07-12','2024-07-12 16:59:59.000000',0,0,1,0,'2024-07-11 02:00:00.000000',1,'2024-07-15 02:05:00.000000');
INSERT INTO "task" VALUES(3,1,6,'accepted','2024-07-19','2024-07-19 16:59:59.000000',1,0,2,1,'2024-07-18 02:00:00.000000',1,'2024-07-19 03:10:00.000000');
INSERT INTO "task" VALUES(4,1,7,'accepted','2024-07-12','2024-07-12 16:59:59.000000',0,1,1,0,'2024-07-16 03:00:00.000000',0,'2024-07-19 03:00:00.000000');
INSERT INTO "task" VALUES(5,1,8,'accepted','2024-07-12','2024-07-12 16:59:59.000000',0,0,1,0,'2024-07-10 07:00:00.000000',1,'2024-07-15 02:10:00.000000');
INSERT INTO "task" VALUES(6,1,9,'accepted','2024-07-17','2024-07-17 16:59:59.000000',1,0,1,0,'2024-07-17 04:00:00.000000',1,'2024-07-19 03:05:00.000000');
INSERT INTO "task" VALUES(7,1,10,'pending','2024-07-12','2024-07-12 16:59:59.000000',0,3,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(8,2,4,'submitted','2025-01-15','2025-01-15 16:59:59.000000',0,0,1,0,'2025-01-08 02:00:00.000000',1,NULL);
INSERT INTO "task" VALUES(9,2,5,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(10,2,6,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(11,2,7,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(12,2,8,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(13,2,9,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
INSERT INTO "task" VALUES(14,2,10,'pending','2025-01-15','2025-01-15 16:59:59.000000',0,2,0,0,NULL,NULL,NULL);
CREATE TABLE user (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	display_name VARCHAR NOT NULL, 
	body_id INTEGER NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(body_id) REFERENCES body (id)
);
INSERT INTO "user" VALUES(1,'khoa','Lê Minh Khoa',2,'coordinator','scrypt$n=16384,r=8,p=1$MwWmx1UTqdkdZIk9rVdu0A==$bDMyZtfBpcDQD/DcDN/dexI1n8T1/FiEnciC7hY5DeE=',1,'2024-07-22 03:00:00.000000');
INSERT INTO "user" VALUES(2,'ubnd','ubnd',5,'agency','scrypt$n=16384,r=8,p=1$P/Djt2gYn2sSvi2SLVnk9w==$OpAoo1eGCMXKJMWW42zcV2Di2tG32yRpflXCfe5N/Do=',0,'2024-07-22 03:06:00.000000');
CREATE INDEX ix_auditrecord_task_id ON auditrecord (task_id);
CREATE INDEX ix_auditrecord_at ON auditrecord (at);
CREATE INDEX ix_auditrecord_cycle_id ON auditrecord (cycle_id);
CREATE INDEX ix_auditrecord_action ON auditrecord (action);
CREATE UNIQUE INDEX ix_body_code ON body (code);
CREATE INDEX ix_body_parent_code ON body (parent_code);
CREATE INDEX ix_user_body_id ON user (body_id);
CREATE UNIQUE INDEX ix_user_username ON user (username);
CREATE UNIQUE INDEX ix_program_code ON program (code);
CREATE INDEX ix_apitoken_user_id ON apitoken (user_id);
CREATE UNIQUE INDEX ix_apitoken_token_hash ON apitoken (token_hash);
CREATE INDEX ix_cycle_program_id ON cycle (program_id);
CREATE INDEX ix_programbody_program_id ON programbody (program_id);
CREATE INDEX ix_task_cycle_id ON task (cycle_id);
CREATE INDEX ix_task_status_due ON task (status, due_at);
CREATE INDEX ix_task_body_status ON task (body_id, status);
CREATE INDEX ix_escalation_task_id ON escalation (task_id);
CREATE INDEX ix_submission_task_id ON submission (task_id);
CREATE INDEX ix_extension_task_id ON extension (task_id);
CREATE INDEX ix_notification_status ON notification (status);
CREATE INDEX ix_attachment_submission_id ON attachment (submission_id);
CREATE INDEX ix_review_task_id ON review (task_id);
COMMIT;
