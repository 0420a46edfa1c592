"""Free text (complaints, comments) in Chinese and English; some embed personal data.

A template is (prefix, slot, suffix); the slot names the customer's value to embed
(``name``, ``phone``, ``id_number``, ``email``) or is empty. Rows are assembled with
one element-wise join, so there is no per-row Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from examples.crm.arrays import choose, join, pick, weighted_index, when

SLOTS = ("", "name", "phone", "id_number", "email")


class Template(NamedTuple):
    """``prefix + value + suffix`` with ``weight`` among its language's templates."""

    prefix: str
    slot: str
    suffix: str
    weight: float


COMPLAINTS_ZH = (
    Template("快递三天了还没到，物流信息一直不更新。", "", "", 12),
    Template("收到的商品有破损，要求退货退款。", "", "", 12),
    Template("客服态度很差，电话等了半个小时没人接。", "", "", 10),
    Template("发票抬头开错了，请重新开具。", "", "", 8),
    Template("会员积分没有到账，请核实订单", "", "。", 8),
    Template("App 登录总是闪退，已经重装过了。", "", "", 10),
    Template("退款申请提交一周了还在审核中。", "", "", 10),
    Template("客户", "name", "来电投诉，称退款迟迟未到账。", 6),
    Template("我是", "name", "，上周买的冰箱一直不制冷，请安排维修。", 4),
    Template("请尽快回电", "phone", "，我白天都在。", 5),
    Template("联系电话：", "phone", "，麻烦安排师傅上门。", 5),
    Template("我的身份证号是", "id_number", "，实名认证一直失败。", 3),
    Template("用户反馈身份证", "id_number", "被他人冒用注册了账户。", 2),
    Template("请把电子发票发到", "email", "，谢谢。", 3),
    Template("绑定的邮箱", "email", "收不到验证码。", 2),
)
COMPLAINTS_EN = (
    Template("Package arrived damaged, requesting a replacement.", "", "", 12),
    Template("Still waiting for my refund after two weeks.", "", "", 12),
    Template("The app crashes every time I open the order page.", "", "", 12),
    Template("Wrong size delivered, please arrange an exchange.", "", "", 12),
    Template("Nobody answered the hotline for 30 minutes.", "", "", 10),
    Template("This is ", "name", ", my order never arrived.", 6),
    Template("Customer ", "name", " asked for a callback about the late delivery.", 4),
    Template("Please call me back at ", "phone", " after 6pm.", 10),
    Template("My ID number ", "id_number", " was rejected during verification.", 3),
    Template("Send the invoice to ", "email", " please.", 5),
    Template("I no longer receive emails at ", "email", ".", 4),
)
COMMENTS_ZH = (
    Template("满意，处理很及时。", "", "", 30),
    Template("一般般，等待时间太长。", "", "", 20),
    Template("问题没有解决，很失望。", "", "", 15),
    Template("客服小姐姐很耐心，点赞！", "", "", 20),
    Template("有问题请打我电话", "phone", "。", 5),
    Template("后续进展请发邮件到", "email", "。", 4),
    Template("我是", "name", "，希望尽快给个答复。", 3),
)
COMMENTS_EN = (
    Template("Quick and helpful, thanks!", "", "", 30),
    Template("Took too long to get a reply.", "", "", 20),
    Template("Issue not resolved.", "", "", 15),
    Template("Friendly staff at the store.", "", "", 20),
    Template("Reach me at ", "phone", " if you need more details.", 5),
    Template("Follow up at ", "email", " please.", 4),
    Template("Regards, ", "name", "", 3),
)


def free_text(
    rng: np.random.Generator,
    zh: np.ndarray,
    values: dict[str, pa.Array],
    templates: tuple[Sequence[Template], Sequence[Template]],
) -> pa.Array:
    """One text per row: Chinese templates where ``zh``, English ones elsewhere.

    ``values`` holds the row-aligned customer values for each slot; a row whose
    slot value is missing falls back to the first (PII-free) template.
    """
    rows = len(zh)
    parts = []
    for pool in templates:
        index = weighted_index(rng, [t.weight for t in pool], rows)
        slot = np.array([SLOTS.index(t.slot) for t in pool])[index]
        options = [pa.repeat(pa.scalar("", pa.string()), rows)] + [values[s] for s in SLOTS[1:]]
        value = choose(slot, options)
        text = join(
            pick([t.prefix for t in pool], index), value, pick([t.suffix for t in pool], index)
        )
        parts.append(pc.fill_null(text, pool[0].prefix))
    return when(zh, parts[0], parts[1])
