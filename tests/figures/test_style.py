import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from platformgov.figures import style


def test_the_font_comes_from_the_project_install():
    files = style.font_files()
    assert any(f.name == "NanumGothic.ttf" for f in files)
    assert all("site-packages" in str(f) for f in files)


def test_hangul_and_minus_signs_render_without_missing_glyphs():
    style.use()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.plot([-1, 0, 1], [-2, 0, 2])
        ax.set_title("정보제공형 플랫폼")
        ax.set_xlabel("민간역량중개형 (C2C)")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
