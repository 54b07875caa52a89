# The contrib hook copies the metadata of the `webrtcvad` distribution; we install the same module
# from `webrtcvad-wheels` (prebuilt wheels), whose metadata has that name instead.
from PyInstaller.utils.hooks import copy_metadata

datas = copy_metadata("webrtcvad-wheels")
