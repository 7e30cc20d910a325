from tillit.core.collation import swedish_sort_key


def test_swedish_letters_sort_after_z_in_swedish_order():
    names = ["Östra", "Ängen", "Åsen", "Zeta", "alfa", "Älvsborg", "Bäck", "Björk"]
    assert sorted(names, key=swedish_sort_key) == [
        "alfa",
        "Björk",
        "Bäck",
        "Zeta",
        "Åsen",
        "Älvsborg",
        "Ängen",
        "Östra",
    ]
