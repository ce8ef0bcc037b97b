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


def test_a_figures_png_records_its_layout_and_smallest_text(tmp_path):
    style.use()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_title("title", fontsize=12)
    ax.tick_params(labelsize=8)
    ax.text(0.5, 0.5, "", fontsize=4)  # empty: draws nothing
    hidden = ax.text(0.5, 0.5, "hidden", fontsize=5)
    hidden.set_visible(False)
    assert style.smallest_font_pt(fig) == 8
    metadata = style.png_metadata(fig, scale=2)
    assert metadata == {style.LAYOUT_KEY: style.WIDE, style.FONT_KEY: f"{8 * fig.dpi * 2 / 72:.2f}"}
    path = tmp_path / "figure.png"
    fig.savefig(path, metadata=style.png_metadata(style.for_phone(fig), scale=1))
    plt.close(fig)
    assert style.png_layout(path) == style.PHONE


def test_responsive_figures_draw_the_phone_rendering_only_when_asked_outside_a_notebook():
    drawn = []

    @style.responsive
    def draw(width: float, *, phone: bool = False):
        drawn.append(phone)
        return plt.figure(figsize=(style.PHONE_WIDTH if phone else width, 2))

    full = draw(7.0)
    assert drawn == [False] and full.get_label() != style.PHONE  # the Agg backend shows nothing
    small = draw(7.0, phone=True)
    assert drawn == [False, True] and small.get_label() == style.PHONE
    assert small.get_figwidth() == style.PHONE_WIDTH
    plt.close("all")


def test_the_smallest_text_is_9_css_pixels_at_the_drawn_size():
    # 13 % of shrinking to fit a column leaves 9 CSS pixels.
    assert style.MIN_FONT_PT * style.DPI / 72 * 0.87 >= 9
