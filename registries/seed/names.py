"""Common Lao family and given names, in Lao script with their usual romanisation."""

from __future__ import annotations

Name = tuple[str, str]

# fmt: off
FAMILY_NAMES: tuple[Name, ...] = (
    ("ພົມມະວົງ", "Phommavong"), ("ວົງສະຫວັນ", "Vongsavanh"), ("ແກ້ວມະນີ", "Keomany"),
    ("ສີຫາລາດ", "Sihalath"), ("ພົມມະຈັນ", "Phommachanh"), ("ສຸລິຍະວົງ", "Souliyavong"),
    ("ອິນທະວົງ", "Inthavong"), ("ວົງໄຊ", "Vongxay"), ("ສີສົມບັດ", "Sisombath"),
    ("ຈັນທະວົງ", "Chanthavong"), ("ພິລາວົງ", "Philavong"), ("ບຸນມີ", "Bounmy"),
    ("ຄຳພູ", "Khamphou"), ("ໄຊຍະວົງ", "Xayavong"), ("ສຸວັນນະວົງ", "Souvannavong"),
    ("ແສງສຸລິຍາ", "Sengsouliya"), ("ດວງມາລາ", "Douangmala"), ("ຈັນທະລາ", "Chanthala"),
    ("ສີປະເສີດ", "Sipaseuth"), ("ລາດສະວົງ", "Latsavong"), ("ວົງພະຈັນ", "Vongphachanh"),
    ("ໄຊຍະສອນ", "Xayasone"), ("ສີລາວົງ", "Silavong"), ("ທຳມະວົງ", "Thammavong"),
    ("ພອນສະຫວັນ", "Phonsavanh"), ("ສີວົງໄຊ", "Sivongxay"), ("ສຸກສະຫວັນ", "Souksavanh"),
    ("ຄຳມະນີ", "Khammany"), ("ບຸນຍະວົງ", "Bounyavong"), ("ວິລະວົງ", "Vilavong"),
    ("ໄຊສົມບັດ", "Xaysombath"), ("ແກ້ວວົງສາ", "Keovongsa"),
)

MALE_GIVEN_NAMES: tuple[Name, ...] = (
    ("ສົມສັກ", "Somsak"), ("ບຸນມີ", "Bounmy"), ("ຄຳພອນ", "Khamphone"), ("ສົມພອນ", "Somphone"),
    ("ທອງສະຫວັນ", "Thongsavanh"), ("ສົມບັດ", "Sombath"), ("ຄຳແພງ", "Khamphaeng"),
    ("ພອນໄຊ", "Phonexay"), ("ສຸກສະຫວັນ", "Souksavanh"), ("ບຸນທັນ", "Bounthanh"),
    ("ທອງລຸນ", "Thongloun"), ("ສີສຸກ", "Sisouk"), ("ສົມຈິດ", "Somchit"), ("ຄຳສິງ", "Khamsing"),
    ("ບຸນຍັງ", "Bounyang"), ("ທອງພັນ", "Thongphanh"), ("ສີພອນ", "Siphone"),
    ("ແສງອາລຸນ", "Sengaloun"), ("ວັນໄຊ", "Vanxay"), ("ພູວົງ", "Phouvong"),
    ("ບຸນເລີດ", "Bounleuth"), ("ວິໄຊ", "Vixay"), ("ຄຳຫຼ້າ", "Khamla"), ("ສົມພົງ", "Somphong"),
)

FEMALE_GIVEN_NAMES: tuple[Name, ...] = (
    ("ມະນີ", "Many"), ("ວົງເດືອນ", "Vongdeuane"), ("ຈັນທາ", "Chantha"), ("ນ້ອຍ", "Noy"),
    ("ແສງຈັນ", "Sengchanh"), ("ບົວພັນ", "Bouaphanh"), ("ສຸດາ", "Souda"), ("ມາລີ", "Maly"),
    ("ດາວວອນ", "Daovone"), ("ສີດາ", "Sida"), ("ລັດດາ", "Ladda"), ("ດວງຈັນ", "Douangchanh"),
    ("ອຳໄພ", "Amphay"), ("ມະນີວອນ", "Manivone"), ("ແສງດາວ", "Sengdao"),
    ("ພອນທິບ", "Phonethip"), ("ວັນດີ", "Vandy"), ("ບົວລະພາ", "Boualapha"),
    ("ສຸລິຍາ", "Souliya"), ("ນາລີ", "Naly"), ("ຄຳແສນ", "Khamsaen"), ("ພອນສະຫວັນ", "Phonesavanh"),
    ("ທິບພະວັນ", "Thipphavanh"), ("ອາລີ", "Aly"),
)
# fmt: on
